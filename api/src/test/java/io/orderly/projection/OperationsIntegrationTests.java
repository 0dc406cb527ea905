package io.orderly.projection;

import java.time.Duration;

import io.orderly.Customers;
import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What an operator sees: health groups, Prometheus metrics and the live consistency check. */
class OperationsIntegrationTests extends IntegrationTest {

    @Test
    void reportsHealthByGroup() {
        for (String group : new String[] {"write-store", "read-store"}) {
            http().get().uri("/actuator/health/" + group).exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.status").isEqualTo("UP");
        }
        http().get().uri("/actuator/health/projection").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.projector.details.state").isEqualTo("STREAMING");
    }

    @Test
    void publishesProjectorCommandAndSubscriptionMetrics() {
        Customers.register(graphQl);
        // A query that merely mentions the word is not a command.
        graphQl.document("query mutationLike { projection { state } }").execute().path("projection.state").hasValue();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = http().mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(8 * 1024 * 1024)).build()
                    .get().uri("/actuator/prometheus").exchange()
                    .expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(metrics).contains(
                    "orderly_projector_transactions_total",
                    "orderly_projector_changes_total",
                    "orderly_projector_apply_seconds_bucket",
                    "orderly_projector_lag_seconds_bucket",
                    "orderly_projector_slot_retained_bytes",
                    "orderly_subscriptions_open",
                    "orderly_feed_delivered_total",
                    "orderly_commands_seconds_count{mutation=\"registerCustomer\",outcome=\"ACCEPTED\"")
                    .doesNotContain("orderly_commands_seconds_count{mutation=\"projection\"");
        });
    }

    @Test
    void checksTheLiveReadModelsAgainstPostgreSql() {
        String token = Customers.register(graphQl).token();
        graphQl.documentName("projectionConsistentWith").variable("token", token).execute().path("projection.state").hasValue();

        http().get().uri("/actuator/readmodelcheck").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.consistent").isEqualTo(true)
                .jsonPath("$.differenceCount").isEqualTo(0);
    }
}
