package io.orderly.graphql;

import io.orderly.IntegrationTest;
import io.orderly.Products;
import io.orderly.TightLimits;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.test.tester.HttpGraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A response that grows past {@code orderly.limits.max-result-nodes} (100 in {@link TightLimits})
 * is answered with {@code RESPONSE_TOO_LARGE} and no data, not with a result that has holes; a
 * smaller one of the same catalog is served.
 */
class ResponseSizeLimitIntegrationTests {

    private final HttpGraphQlTester staff = IntegrationTest.graphQlOn(TightLimits.port());

    @Test
    void answersAResponseThatGrowsTooLargeWithAnErrorAndNoData() {
        for (int i = 0; i < 15; i++) {
            Products.create(staff, "2.00", 3);
        }

        staff.documentName("productsWithPrices").execute()
                .errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(error -> {
                    assertThat(error.getExtensions()).containsEntry("code", "RESPONSE_TOO_LARGE");
                    assertThat(error.getMessage()).contains("more than " + TightLimits.MAX_RESULT_NODES);
                }))
                .path("$.data").valueIsNull();
        staff.documentName("products").execute().errors().verify().path("products.edges").entityList(Object.class).hasSize(5);
    }
}
