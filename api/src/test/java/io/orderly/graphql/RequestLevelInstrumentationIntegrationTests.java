package io.orderly.graphql;

import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.GraphQlSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The application's GraphQL runs its instrumentations through the chain without per-field hooks. */
class RequestLevelInstrumentationIntegrationTests extends IntegrationTest {

    @Autowired
    GraphQlSource graphQlSource;

    @Test
    void chainsTheApplicationsInstrumentationsWithoutPerFieldHooks() {
        assertThat(graphQlSource.graphQl().getInstrumentation()).isInstanceOfSatisfying(RequestLevelInstrumentation.class,
                chain -> {
                    assertThat(chain.getInstrumentations()).hasSizeGreaterThan(10);
                    assertThat(chain.chainsPerFieldHooks()).isFalse();
                });
    }
}
