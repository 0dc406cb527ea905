package io.orderly.graphql;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.IntegrationTest;
import io.orderly.TestIssuer;
import io.orderly.TightLimits;
import io.orderly.cdc.readmodel.ProjectorStatus;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.cdc.supervision.ProjectorSupervisor;
import io.orderly.identity.UserRole;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.test.tester.WebSocketGraphQlTester;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A query still running at its deadline ({@link TightLimits#REQUEST_TIMEOUT}) is answered with
 * {@code REQUEST_TIMEOUT} and {@code data: null}, and its slow field is cancelled rather than left to
 * run for a client that has its answer; meanwhile other queries are served and the projector keeps
 * its lease and streams. A mutation whose payload reads for longer is not cut. The slow fields are
 * those of {@link TightLimits.SlowFields}, which are staff-only as every root field not opened in
 * {@code OperationAccess}.
 */
class RequestDeadlineIntegrationTests {

    /** Far past the deadline: a query asking for this answers only if the deadline failed. */
    private static final int FOREVER_MILLIS = 600_000;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String token = TestIssuer.token(TestIssuer.newSubject(), UserRole.STAFF);
    private final WebTestClient staff = TightLimits.client(token);
    private final TightLimits.SlowFields slowFields = TightLimits.application().getBean(TightLimits.SlowFields.class);

    @Test
    void cancelsAQueryPastItsDeadlineWhileOtherQueriesAndTheProjectorGoOn() {
        awaitProjectorStreamingWithItsLease();
        int started = slowFields.started();
        int cancelled = slowFields.cancelled();
        List<String> answered = new CopyOnWriteArrayList<>();

        CompletableFuture<EntityExchangeResult<byte[]>> slow = CompletableFuture.supplyAsync(() -> {
            EntityExchangeResult<byte[]> result = TightLimits.post(staff, "slow", Map.of("millis", FOREVER_MILLIS));
            answered.add("slow");
            return result;
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> slowFields.started() > started);
        EntityExchangeResult<byte[]> simple = TightLimits.post(staff, "products", Map.of());
        answered.add("products");
        EntityExchangeResult<byte[]> timedOut = slow.join();

        assertThat(answered).as("the order of the answers").containsExactly("products", "slow");
        assertThat(simple.getStatus().value()).isEqualTo(200);
        assertThat(body(simple).has("errors")).isFalse();
        assertThat(body(simple).at("/data/products/edges").isArray()).isTrue();
        assertTimedOut(timedOut);
        await().atMost(Duration.ofSeconds(10)).until(() -> slowFields.cancelled() > cancelled);
        assertThat(projectorStatus()).as("the projector, still").isEqualTo(ProjectorStatus.State.STREAMING);
        assertThat(leaseOwner()).as("the lease, still").isEqualTo(projector().owner());
    }

    /**
     * A query whose reads wait for Redis on its request thread: with Redis stalled (every client
     * paused) for longer than the deadline, it is answered at the deadline all the same.
     */
    @Test
    void answersAQueryWhoseRedisReadsStallAtItsDeadline() {
        Duration stall = TightLimits.REQUEST_TIMEOUT.multipliedBy(3);
        WebTestClient patient = staff.mutate().responseTimeout(Duration.ofSeconds(30)).build();
        TightLimits.post(patient, "products", Map.of());
        redis().clientPause(stall.toMillis());
        long started = System.nanoTime();

        EntityExchangeResult<byte[]> result = TightLimits.post(patient, "products", Map.of());

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTimedOut(result);
        assertThat(took).isLessThan(TightLimits.REQUEST_TIMEOUT.plus(stall).dividedBy(2));
    }

    @Test
    void cancelsAQueryOverGraphQlWsPastItsDeadline() {
        int cancelled = slowFields.cancelled();
        WebSocketGraphQlTester socket = IntegrationTest.socketOn(TightLimits.port(), token);
        try {
            socket.documentName("slow").variable("millis", FOREVER_MILLIS).execute()
                    .errors().satisfy(errors -> assertThat(errors).singleElement()
                            .satisfies(error -> assertThat(error.getExtensions()).containsEntry("code", "REQUEST_TIMEOUT")));
        }
        finally {
            socket.stop().block();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> slowFields.cancelled() > cancelled);
    }

    @Test
    void letsAMutationWhosePayloadReadsPastTheDeadlineFinish() {
        int cancelled = slowFields.cancelled();
        int pastTheDeadline = (int) TightLimits.REQUEST_TIMEOUT.toMillis() + 1000;

        EntityExchangeResult<byte[]> result = TightLimits.post(staff.mutate().responseTimeout(Duration.ofSeconds(30)).build(),
                "slowWrite", Map.of("millis", pastTheDeadline));

        assertThat(result.getStatus().value()).isEqualTo(200);
        assertThat(body(result).has("errors")).as(body(result).toString()).isFalse();
        assertThat(body(result).at("/data/slowWrite/read").asString()).isEqualTo("read");
        assertThat(slowFields.cancelled()).isEqualTo(cancelled);
    }

    private static void assertTimedOut(EntityExchangeResult<byte[]> result) {
        JsonNode body = body(result);
        assertThat(result.getStatus().value()).isEqualTo(200);
        assertThat(body.get("data").isNull()).as(body.toString()).isTrue();
        assertThat(body.at("/errors/0/extensions/code").asString()).isEqualTo("REQUEST_TIMEOUT");
        assertThat(body.at("/errors/0/message").asString()).contains(TightLimits.REQUEST_TIMEOUT.toMillis() + " ms");
    }

    private static JsonNode body(EntityExchangeResult<byte[]> result) {
        return JSON.readTree(new String(result.getResponseBodyContent(), StandardCharsets.UTF_8));
    }

    /** Until the projector of the application holds the lease and reports STREAMING with a fresh heartbeat. */
    private static void awaitProjectorStreamingWithItsLease() {
        await().atMost(Duration.ofSeconds(60)).until(() -> projector().owner().equals(leaseOwner())
                && projectorStatus() == ProjectorStatus.State.STREAMING);
    }

    private static ProjectorSupervisor projector() {
        return TightLimits.application().getBean(ProjectorSupervisor.class);
    }

    private static ProjectorStatus.State projectorStatus() {
        return ProjectorStatus.fromHash(redis().hgetall(ReadModelKeys.PROJECTOR_STATUS), Instant.now()).state();
    }

    private static String leaseOwner() {
        String owner = redis().get(ReadModelKeys.PROJECTOR_LEASE);
        return owner == null ? "" : owner;
    }

    @SuppressWarnings("unchecked")
    private static RedisCommands<String, String> redis() {
        return TightLimits.application().getBean("readModelConnection", StatefulRedisConnection.class).sync();
    }
}
