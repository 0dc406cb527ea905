package io.orderly.projection;

import java.time.Duration;
import java.util.UUID;

import io.orderly.Customers;
import io.orderly.Customers.Registered;
import io.orderly.IntegrationTest;
import io.orderly.TestIssuer;
import io.orderly.cdc.readmodel.ProjectorStatus;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.identity.UserRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.test.tester.GraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis at its {@code maxmemory} with {@code noeviction} refuses the projector's writes: the
 * projector stops in FAILED, saying why, rather than retrying, and queries keep being answered.
 * Once Redis has room again, restarting the projector resumes where it stopped.
 */
class RedisRefusesWritesIntegrationTests extends IntegrationTest {

    @AfterEach
    void projectorStreams() {
        if (projector.state() == ProjectorStatus.State.FAILED || !projector.isRunning()) {
            projector.stop();
            projector.start();
        }
    }

    @Test
    void failsWithTheReasonWhenRedisRefusesATransactionThenResumesOnceRestarted() {
        Registered before = Customers.register(graphQl);
        // Redis 6.2 takes one setting per CONFIG GET and SET.
        String maxmemory = redis().configGet("maxmemory").get("maxmemory");
        String policy = redis().configGet("maxmemory-policy").get("maxmemory-policy");
        String id = UUID.randomUUID().toString();
        try {
            redis().configSet("maxmemory-policy", "noeviction");
            redis().configSet("maxmemory", "1");
            jdbc.sql("INSERT INTO customers (id, email, name) VALUES (:id::uuid, :email, 'Too Late')")
                    .param("id", id).param("email", Customers.uniqueEmail()).update();

            await().atMost(Duration.ofSeconds(30)).until(() -> projector.state() == ProjectorStatus.State.FAILED);
            customer(before.id()).path("customer.name").entity(String.class).isEqualTo(before.name());
            customer(id).path("customer").valueIsNull();
        }
        finally {
            redis().configSet("maxmemory", maxmemory);
            redis().configSet("maxmemory-policy", policy);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> graphQl.documentName("projection").execute()
                .path("projection.state").entity(String.class).isEqualTo("FAILED")
                .path("projection.detail").entity(String.class).satisfies(detail -> assertThat(detail)
                        .contains("Redis refused to apply").contains("OOM")));
        assertThat(projector.state()).isEqualTo(ProjectorStatus.State.FAILED);

        projector.stop();
        projector.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> redis().exists(ReadModelKeys.customer(id)) == 1);
        customer(id).path("customer.name").entity(String.class).isEqualTo("Too Late");
        customer(before.id()).path("customer.name").entity(String.class).isEqualTo(before.name());
    }

    /** The customer as staff who wrote nothing see it: their reads do not wait for the projector. */
    private GraphQlTester.Response customer(String id) {
        return graphQlAs(TestIssuer.token(TestIssuer.newSubject(), UserRole.STAFF)).documentName("customer").variable("id", id).execute();
    }
}
