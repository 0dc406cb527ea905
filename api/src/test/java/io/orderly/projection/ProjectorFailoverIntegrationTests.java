package io.orderly.projection;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.RedisURI;
import io.orderly.IntegrationTest;
import io.orderly.OrderlyProcess;
import io.orderly.Workload;
import io.orderly.cdc.readmodel.ProjectorStatus;
import io.orderly.cdc.readmodel.ReadModelKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two projector processes: the one holding the lease streams, the other stands by. The streaming
 * one is killed abruptly in the middle of a stream of transactions; the other takes over within
 * seconds, and afterwards every read model equals what PostgreSQL says.
 */
class ProjectorFailoverIntegrationTests extends IntegrationTest {

    @Autowired
    private JdbcConnectionDetails database;

    @Autowired
    private RedisURI redisUri;

    @Autowired
    private ReadModelCheck check;

    @AfterEach
    void projectorRunsAgain() {
        if (!projector.isRunning()) {
            projector.start();
        }
    }

    @Test
    void standbyTakesOverWhenTheStreamingProjectorIsKilledMidStream() {
        projector.stop();
        try (OrderlyProcess other = OrderlyProcess.start("projector", List.of(
                "--server.port=0",
                "--orderly.roles=projector",
                "--orderly.projector.lease-duration=3s",
                "--spring.datasource.url=" + database.getJdbcUrl(),
                "--spring.datasource.username=" + database.getUsername(),
                "--spring.datasource.password=" + database.getPassword(),
                "--spring.data.redis.host=" + redisUri.getHost(),
                "--spring.data.redis.port=" + redisUri.getPort()))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> leaseOwner().startsWith(other.pid() + "@")
                    && "STREAMING".equals(redis().hget(ReadModelKeys.PROJECTOR_STATUS, "state")));
            projector.start();
            assertThat(projector.state()).as("this process stands by").isEqualTo(ProjectorStatus.State.STANDBY);

            Workload workload = new Workload(graphQl, jdbc, 5150L);
            CompletableFuture<Workload> writes = CompletableFuture.supplyAsync(() -> workload.run(200));
            await().atMost(Duration.ofSeconds(60)).until(() -> workload.accepted() >= 40);
            other.kill();

            await().atMost(Duration.ofSeconds(30)).until(() -> leaseOwner().equals(projector.owner())
                    && projector.state() == ProjectorStatus.State.STREAMING);
            String lastToken = writes.join().lastToken();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    graphQl.documentName("projectionConsistentWith").variable("token", lastToken).execute()
                            .path("projection.state").entity(String.class).isEqualTo("STREAMING"));
            assertThat(check.differences()).isEmpty();
        }
    }

    private String leaseOwner() {
        String owner = redis().get(ReadModelKeys.PROJECTOR_LEASE);
        return owner == null ? "" : owner;
    }
}
