package io.orderly.graphql;

import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code @defer} is neither advertised nor half-served: the API answers every operation whole. */
class DeferIntegrationTests extends IntegrationTest {

    @Test
    void theSchemaDoesNotAdvertiseDefer() {
        assertThat(anonymousGraphQl().documentName("directives").execute()
                .path("__schema.directives[*].name").entityList(String.class).get())
                .contains("include", "skip", "consistentWith")
                .doesNotContain("defer");
    }

    @Test
    void refusesADocumentThatDefersAFragment() {
        anonymousGraphQl().documentName("productDeferred").variable("id", "6f1c1a52-0000-4000-8000-000000000000").execute()
                .errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(error -> {
                    assertThat(error.getExtensions()).containsEntry("code", "GRAPHQL_VALIDATION_FAILED");
                    assertThat(error.getMessage()).contains("@defer");
                }));
    }
}
