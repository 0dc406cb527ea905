package io.orderly.feed;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.cdc.readmodel.FeedEntry;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.runtime.OrderlyProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.NonBlocking;

/**
 * Reads the change feed for this process: one thread, one connection, blocking XREAD, and every
 * entry handed to every live subscription. Each subscription buffers at most
 * {@code orderly.subscriptions.buffer} entries; one that falls further behind is ended with
 * {@link SlowSubscriberException} instead of slowing down the others.
 *
 * <p>{@link #after(FeedCursor)} first replays the retained entries after a cursor, at the pace the
 * client takes them, then continues live, with neither gap nor duplicate at the switch: the live
 * subscription is registered once the replay has reached the end of the feed, before the replay
 * reads what was appended meanwhile, and live entries already replayed are skipped by sequence
 * number. So a client far behind is not ended for what was appended during its replay. What the
 * feed retains, and whether a cursor can still be served from it, is {@link FeedHistory}'s.
 */
@Component
public class FeedReader implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FeedReader.class);
    private static final Duration BLOCK = Duration.ofMillis(500);

    private final RedisClient redisClient;
    private final FeedHistory history;
    private final int buffer;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final Counter delivered;

    private volatile boolean running;
    private volatile String epoch = "";
    private volatile long lastSequence;
    /** Where the read loop has read up to, epoch and sequence together: never past what Redis holds. */
    private volatile FeedCursor read = new FeedCursor("", 0);
    private @Nullable Thread thread;

    /**
     * @param feedRedisClient opens the read loop's own connection, on threads that queries do not use
     * @param queryConnection the connection shared with queries, for what subscribers ask (replays, cursors)
     */
    FeedReader(RedisClient feedRedisClient, StatefulRedisConnection<String, String> queryConnection,
            OrderlyProperties properties, MeterRegistry meters) {
        this.redisClient = feedRedisClient;
        this.history = new FeedHistory(queryConnection);
        this.buffer = properties.subscriptions().buffer();
        this.delivered = Counter.builder("orderly.feed.delivered")
                .description("Change-feed entries handed to live subscriptions").register(meters);
        Gauge.builder("orderly.subscriptions.open", subscribers, Set::size)
                .description("Live change-feed subscriptions in this process").register(meters);
    }

    /** Every entry appended from now on. */
    public Flux<FeedEntry> live() {
        return Flux.defer(() -> {
            Subscriber subscriber = new Subscriber();
            subscribers.add(subscriber);
            return subscriber.sink.asFlux().doFinally(signal -> subscribers.remove(subscriber));
        });
    }

    /**
     * The retained entries after the cursor, then every entry appended from now on. The replay
     * reads Redis synchronously, so it runs on {@link FeedHistory#BLOCKING}, never on the thread of whoever
     * subscribes or asks for more, which may be one of Lettuce's I/O threads waiting for this very
     * connection.
     */
    public Flux<FeedEntry> after(FeedCursor cursor) {
        return Flux.defer(() -> {
            List<FeedEntry> firstPage = history.firstPage(cursor);
            long[] replayedThrough = {cursor.sequence()};
            Flux<FeedEntry> replayed = Flux.fromIterable(firstPage)
                    .concatWith(Flux.defer(() -> firstPage.size() < FeedHistory.READ_BATCH ? Flux.empty() : history.after(replayedThrough[0])))
                    .doOnNext(entry -> replayedThrough[0] = entry.sequence());
            Flux<FeedEntry> liveFromThere = Flux.defer(() -> {
                Subscriber subscriber = new Subscriber();
                subscribers.add(subscriber);
                if (!history.currentEpoch().equals(cursor.epoch())) {
                    // Rebuilt during the replay: the reader told the live subscribers, not this one.
                    subscribers.remove(subscriber);
                    return Flux.error(new ResyncRequiredException("The change feed was rebuilt during the replay; "
                            + "reload with queries and subscribe from a new cursor"));
                }
                return history.after(replayedThrough[0])
                        .doOnNext(entry -> replayedThrough[0] = entry.sequence())
                        .concatWith(subscriber.sink.asFlux().filter(entry -> entry.sequence() > replayedThrough[0]))
                        .doFinally(signal -> subscribers.remove(subscriber));
            });
            return replayed.concatWith(liveFromThere.subscribeOn(FeedHistory.BLOCKING));
        }).subscribeOn(FeedHistory.BLOCKING);
    }

    /** A cursor at the current end of the feed; blocks, so never call it on one of Lettuce's threads. */
    public FeedCursor now() {
        return new FeedCursor(history.currentEpoch(), history.lastStoredSequence());
    }

    /**
     * A cursor at the last entry this process has read from the feed, without asking Redis: the
     * read loop follows the feed within a round trip, and what it has read Redis already holds, so
     * data read after taking this cursor is at or after it. Before the loop has started, a cursor
     * that no subscription accepts (it asks for a resync).
     */
    public FeedCursor lastRead() {
        return read;
    }

    @Override
    public synchronized void start() {
        epoch = history.currentEpoch();
        lastSequence = history.lastStoredSequence();
        read = new FeedCursor(epoch, lastSequence);
        running = true;
        thread = new ReadLoopThread(this::readLoop);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(5).toMillis());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        subscribers.forEach(subscriber -> subscriber.sink.tryEmitComplete());
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void readLoop() {
        try (StatefulRedisConnection<String, String> connection = redisClient.connect()) {
            RedisCommands<String, String> blocking = connection.sync();
            while (running) {
                try {
                    readOnce(blocking);
                }
                catch (RuntimeException e) {
                    if (running) {
                        log.warn("Reading the change feed failed, retrying: {}", e.getMessage());
                        pause();
                    }
                }
            }
        }
    }

    /** Everything on the loop's own connection: queued behind queries, a read could time out and stall every subscription. */
    private void readOnce(RedisCommands<String, String> blocking) {
        String storedEpoch = FeedHistory.currentEpoch(blocking);
        if (!storedEpoch.equals(epoch)) {
            // A first feed appearing is no rebuild: there was nothing before it to miss.
            if (!epoch.isEmpty()) {
                log.info("The change feed was rebuilt (epoch {} → {}); live subscriptions must resync", epoch, storedEpoch);
                subscribers.forEach(subscriber -> subscriber.sink.tryEmitError(new ResyncRequiredException(
                        "The change feed was rebuilt; reload with queries and subscribe from a new cursor")));
            }
            epoch = storedEpoch;
            lastSequence = 0;
            read = new FeedCursor(epoch, 0);
        }
        List<StreamMessage<String, String>> messages = blocking.xread(
                XReadArgs.Builder.block(BLOCK).count(FeedHistory.READ_BATCH),
                XReadArgs.StreamOffset.from(ReadModelKeys.FEED, lastSequence + "-0"));
        for (StreamMessage<String, String> message : messages) {
            FeedEntry entry = FeedHistory.entry(message);
            lastSequence = entry.sequence();
            subscribers.forEach(subscriber -> subscriber.offer(entry));
        }
        if (!messages.isEmpty()) {
            read = new FeedCursor(epoch, lastSequence);
        }
        else {
            noticeAShorterFeed(blocking);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Number of live subscriptions in this process. */
    public int subscriptions() {
        return subscribers.size();
    }

    /**
     * Marked non-blocking: live entries reach every subscription on this thread, and a subscription
     * resolving an entry's fields must not make it wait for Redis (see
     * {@link io.orderly.runtime.RequestThreads}); its reads are handed to other threads instead.
     */
    /**
     * A feed that now ends before what this reader has read, in the same epoch: Redis was restored
     * from an older backup, or a lagging replica was promoted. The entries appended from there on
     * carry sequences this reader has already passed, so it starts again from the feed's end, and
     * live subscriptions resync rather than miss them; the cursor it hands out moves back too, so
     * it is never ahead of the data.
     */
    private void noticeAShorterFeed(RedisCommands<String, String> blocking) {
        long stored = FeedHistory.lastStoredSequence(blocking);
        if (stored >= lastSequence) {
            return;
        }
        log.warn("The change feed ends at {}, before {} already read: Redis lost recent data; live subscriptions must resync",
                stored, lastSequence);
        subscribers.forEach(subscriber -> subscriber.sink.tryEmitError(new ResyncRequiredException(
                "The change feed lost recent entries; reload with queries and subscribe from a new cursor")));
        lastSequence = stored;
        read = new FeedCursor(epoch, stored);
    }

    /** Before the web server: no query is answered with a cursor the reader has not set yet. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private static final class ReadLoopThread extends Thread implements NonBlocking {

        ReadLoopThread(Runnable loop) {
            super(loop, "orderly-feed-reader");
        }
    }

    private final class Subscriber {

        final Sinks.Many<FeedEntry> sink = Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<>(buffer));

        void offer(FeedEntry entry) {
            Sinks.EmitResult result = sink.tryEmitNext(entry);
            if (result.isSuccess()) {
                delivered.increment();
            }
            else if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
                subscribers.remove(this);
                sink.tryEmitError(new SlowSubscriberException(buffer));
            }
        }
    }
}
