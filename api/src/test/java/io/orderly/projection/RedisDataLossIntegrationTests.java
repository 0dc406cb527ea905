package io.orderly.projection;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RestoreArgs;
import io.orderly.Customers;
import io.orderly.IntegrationTest;
import io.orderly.Workload;
import io.orderly.cdc.readmodel.ReadModelKeys;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis loses everything while the projector streams and writes continue: the projector notices
 * the missing watermark, rebuilds every read model from a fresh snapshot and streams on, losing
 * nothing written before, during or after. Redis restored from an older backup is noticed too: the
 * replication slot has confirmed changes the restored read models lack. And when Redis drops every
 * connection (a restart with persistence, a network blip), the projector reconnects and carries on.
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

    @Test
    void rebuildsTheReadModelsWhenRedisIsRestoredFromAnOlderBackup() {
        awaitApplied(new Workload(graphQl, jdbc, 79L).run(20).lastToken());
        projector.stop();
        Map<String, byte[]> backup = new HashMap<>();
        redis().keys(ReadModelKeys.PREFIX + "*").stream()
                .filter(key -> !key.equals(ReadModelKeys.PROJECTOR_LEASE))
                .forEach(key -> backup.put(key, redis().dump(key)));
        projector.start();
        String afterBackup = new Workload(graphQl, jdbc, 80L).run(30).lastToken();
        awaitApplied(afterBackup);

        projector.stop();
        redis().flushdb();
        // Query processes keep writing the source's status meanwhile; the backup's copy replaces it.
        backup.forEach((key, dump) -> redis().restore(key, dump, RestoreArgs.Builder.ttl(0).replace()));
        projector.start();

        awaitApplied(afterBackup);
        assertThat(check.differences()).isEmpty();
    }

    @Test
    void carriesOnWhenRedisDropsEveryConnection() {
        awaitApplied(new Workload(graphQl, jdbc, 81L).run(10).lastToken());

        redis().clientKill(KillArgs.Builder.typeNormal());
        // The engine notices at its next apply, fails, and is started again by the supervisor.
        awaitApplied(Customers.registerWithoutRead(graphQl, Customers.uniqueEmail(), "After The Drop").token());
        String after = new Workload(graphQl, jdbc, 82L).run(30).lastToken();

        awaitApplied(after);
        assertThat(check.differences()).isEmpty();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                graphQl.documentName("projection").execute().path("projection.state").entity(String.class).isEqualTo("STREAMING"));
    }

    private void awaitApplied(String token) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                graphQl.documentName("projectionConsistentWith").variable("token", token).execute()
                        .path("projection.appliedPosition").hasValue());
    }
}
