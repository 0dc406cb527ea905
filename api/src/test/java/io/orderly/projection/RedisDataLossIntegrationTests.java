package io.orderly.projection;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.orderly.IntegrationTest;
import io.orderly.Workload;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis loses everything while the projector streams and writes continue: the projector notices
 * the missing watermark, rebuilds every read model from a fresh snapshot and streams on, losing
 * nothing written before, during or after.
 */
class RedisDataLossIntegrationTests extends IntegrationTest {

    @Autowired
    private ReadModelCheck check;

    @Test
    void rebuildsTheReadModelsWhenRedisLosesItsData() {
        String before = new Workload(graphQl, jdbc, 77L).run(40).lastToken();
        awaitApplied(before);

        redis().flushall();
        String after = CompletableFuture.supplyAsync(() -> new Workload(graphQl, jdbc, 78L).run(60)).join().lastToken();

        awaitApplied(after);
        assertThat(check.differences()).isEmpty();
        graphQl.documentName("projection").execute().path("projection.state").entity(String.class).isEqualTo("STREAMING");
    }

    private void awaitApplied(String token) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                graphQl.documentName("projectionConsistentWith").variable("token", token).execute()
                        .path("projection.appliedPosition").hasValue());
    }
}
