package io.orderly.feed;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderly.Customers;
import io.orderly.IntegrationTest;
import io.orderly.cdc.readmodel.FeedEntry;
import io.orderly.runtime.OrderlyProperties;
import io.orderly.runtime.Role;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.core.publisher.BaseSubscriber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A subscriber that stops reading is ended once its buffer is full; the others keep receiving
 * everything. A subscriber replaying history at its own pace is not: what is appended meanwhile
 * is replayed too.
 */
class SlowSubscriberIntegrationTests extends IntegrationTest {

    private static final int BUFFER = 3;

    @Autowired
    private RedisClient readModelRedisClient;

    @Autowired
    private StatefulRedisConnection<String, String> readModelConnection;

    @Test
    void endsASubscriberThatFallsBehindWithoutHoldingUpTheOthers() {
        FeedReader reader = new FeedReader(readModelRedisClient, readModelConnection, propertiesWithBuffer(BUFFER), new SimpleMeterRegistry());
        reader.start();
        try {
            List<FeedEntry> fast = new CopyOnWriteArrayList<>();
            reader.live().subscribe(fast::add);
            Stalled stalled = new Stalled();
            reader.live().subscribe(stalled);
            await().until(() -> reader.subscriptions() == 2);

            List<String> registered = new ArrayList<>();
            for (int i = 0; i < BUFFER + 3; i++) {
                registered.add(Customers.register(graphQl).id());
            }

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(fast).extracting(FeedEntry::id).containsAll(registered));
            assertThat(reader.subscriptions()).as("the stalled subscriber no longer receives").isEqualTo(1);

            stalled.requestUnbounded();
            await().atMost(Duration.ofSeconds(10)).until(() -> stalled.error != null);
            assertThat(stalled.received).as("what it had buffered, then the error").hasSize(BUFFER);
            assertThat(stalled.error).isInstanceOf(SlowSubscriberException.class)
                    .hasMessageContaining("changes(after:");
        }
        finally {
            reader.stop();
        }
    }

    @Test
    void aSlowReplayReceivesWhatWasAppendedMeanwhileWithoutBeingEnded() {
        FeedReader reader = new FeedReader(readModelRedisClient, readModelConnection, propertiesWithBuffer(BUFFER), new SimpleMeterRegistry());
        reader.start();
        try {
            FeedCursor cursor = reader.now();
            List<String> registered = new ArrayList<>();
            for (int i = 0; i < BUFFER + 3; i++) {
                registered.add(Customers.register(graphQl).id());
            }
            Stalled replaying = new Stalled();
            reader.after(cursor).subscribe(replaying);
            replaying.request(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> replaying.received.size() == 1);

            for (int i = 0; i < BUFFER + 3; i++) {
                registered.add(Customers.register(graphQl).id());
            }
            replaying.requestUnbounded();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(replaying.received).extracting(FeedEntry::id).containsAll(registered));
            assertThat(replaying.error).isNull();
            List<Long> sequences = replaying.received.stream().map(FeedEntry::sequence).toList();
            assertThat(sequences).as("in order, no gap, no duplicate").isSorted().doesNotHaveDuplicates();
            assertThat(sequences.get(sequences.size() - 1) - sequences.get(0)).isEqualTo(sequences.size() - 1);
        }
        finally {
            reader.stop();
        }
    }

    /** Takes nothing until told to: requests no element at first. */
    private static final class Stalled extends BaseSubscriber<FeedEntry> {

        final List<FeedEntry> received = new CopyOnWriteArrayList<>();
        volatile Throwable error;

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            // No demand until the test asks.
        }

        @Override
        protected void hookOnNext(FeedEntry entry) {
            received.add(entry);
        }

        @Override
        protected void hookOnError(Throwable throwable) {
            error = throwable;
        }
    }

    private static OrderlyProperties propertiesWithBuffer(int buffer) {
        return new OrderlyProperties(Set.of(Role.QUERY), "EUR",
                new OrderlyProperties.Consistency(Duration.ofSeconds(2)),
                new OrderlyProperties.Embedded(Path.of("data"), 0, 0),
                new OrderlyProperties.Projector("orderly", "orderly", Duration.ofMillis(10), Duration.ofSeconds(5), 100_000, Duration.ofSeconds(10), 1),
                new OrderlyProperties.Limits(15, 100_000, 262_144, 4096),
                new OrderlyProperties.Subscriptions(buffer),
                new OrderlyProperties.Query(null, 10_000));
    }
}
