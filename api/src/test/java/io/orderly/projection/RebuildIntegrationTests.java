package io.orderly.projection;

import java.time.Duration;
import java.time.Instant;

import io.orderly.IntegrationTest;
import io.orderly.Workload;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An operator rebuilds the read models on demand; the progress is visible and the result equals the truth. */
class RebuildIntegrationTests extends IntegrationTest {

    @Autowired
    private ReadModelCheck check;

    @Test
    void rebuildsOnRequestAndReportsProgress() {
        String token = new Workload(graphQl, jdbc, 31L).run(30).lastToken();
        graphQl.documentName("projectionConsistentWith").variable("token", token).execute().path("projection.state").hasValue();
        Instant requested = Instant.now();

        assertThat(projector.requestRebuild()).isTrue();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            GraphQlTester.Response status = graphQl.documentName("projection").execute();
            status.path("projection.state").entity(String.class).isEqualTo("STREAMING");
            status.path("projection.snapshot.completedAt").entity(String.class)
                    .satisfies(completedAt -> assertThat(Instant.parse(completedAt)).isAfter(requested));
        });
        GraphQlTester.Response status = graphQl.documentName("projection").execute();
        long total = status.path("projection.snapshot.rowsTotal").entity(Double.class).get().longValue();
        assertThat(total).isPositive();
        status.path("projection.snapshot.rowsDone").entity(Double.class).isEqualTo((double) total);
        assertThat(check.differences()).isEmpty();
    }
}
