package io.orderly.feed;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
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
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

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
 * number. So a client far behind is not ended for what was appended during its replay.
 */
@Component
public class FeedReader implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FeedReader.class);
    private static final int READ_BATCH = 500;
    private static final Duration BLOCK = Duration.ofMillis(500);
    private static final Scheduler BLOCKING = Schedulers.boundedElastic();

    private final RedisClient redisClient;
    private final RedisCommands<String, String> redis;
    private final RedisAsyncCommands<String, String> pipelined;
    private final int buffer;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final Counter delivered;

    private volatile boolean running;
    private volatile String epoch = "";
    private volatile long lastSequence;
    private @Nullable Thread thread;

    /**
     * @param feedRedisClient opens the read loop's own connection, on threads that queries do not use
     * @param queryConnection the connection shared with queries, for what subscribers ask (replays, cursors)
     */
    FeedReader(RedisClient feedRedisClient, StatefulRedisConnection<String, String> queryConnection,
            OrderlyProperties properties, MeterRegistry meters) {
        this.redisClient = feedRedisClient;
        this.redis = queryConnection.sync();
        this.pipelined = queryConnection.async();
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
     * reads Redis synchronously, so it runs on {@link #BLOCKING}, never on the thread of whoever
     * subscribes or asks for more, which may be one of Lettuce's I/O threads waiting for this very
     * connection.
     */
    public Flux<FeedEntry> after(FeedCursor cursor) {
        return Flux.defer(() -> {
            List<FeedEntry> firstPage = replayPage(cursor);
            long[] replayedThrough = {cursor.sequence()};
            Flux<FeedEntry> history = Flux.fromIterable(firstPage)
                    .concatWith(Flux.defer(() -> firstPage.size() < READ_BATCH ? Flux.empty() : remainingReplay(replayedThrough[0])))
                    .doOnNext(entry -> replayedThrough[0] = entry.sequence());
            Flux<FeedEntry> liveFromThere = Flux.defer(() -> {
                Subscriber subscriber = new Subscriber();
                subscribers.add(subscriber);
                if (!currentEpoch().equals(cursor.epoch())) {
                    // Rebuilt during the replay: the reader told the live subscribers, not this one.
                    subscribers.remove(subscriber);
                    return Flux.error(new ResyncRequiredException("The change feed was rebuilt during the replay; "
                            + "reload with queries and subscribe from a new cursor"));
                }
                return remainingReplay(replayedThrough[0])
                        .doOnNext(entry -> replayedThrough[0] = entry.sequence())
                        .concatWith(subscriber.sink.asFlux().filter(entry -> entry.sequence() > replayedThrough[0]))
                        .doFinally(signal -> subscribers.remove(subscriber));
            });
            return history.concatWith(liveFromThere.subscribeOn(BLOCKING));
        }).subscribeOn(BLOCKING);
    }

    /** A cursor at the current end of the feed; blocks, so never call it on one of Lettuce's threads. */
    public FeedCursor now() {
        return new FeedCursor(currentEpoch(), lastStoredSequence());
    }

    /**
     * A cursor at the end of the feed as Redis holds it when the two commands this sends have run:
     * they go out at once, in one round trip, on the connection the read side shares, so Redis runs
     * them before any command issued on it after this call, such as a query's document reads.
     */
    public CompletableFuture<FeedCursor> end() {
        RedisFuture<String> storedEpoch = pipelined.get(ReadModelKeys.FEED_EPOCH);
        RedisFuture<List<StreamMessage<String, String>>> last = pipelined.xrevrange(ReadModelKeys.FEED, Range.create("-", "+"),
                Limit.create(0, 1));
        return storedEpoch.thenCombine(last, (stored, messages) -> new FeedCursor(stored == null ? "" : stored,
                messages.isEmpty() ? 0L : FeedEntry.sequenceOf(messages.get(0).getId()))).toCompletableFuture();
    }

    private List<FeedEntry> replayPage(FeedCursor cursor) {
        String currentEpoch = currentEpoch();
        if (!cursor.epoch().equals(currentEpoch)) {
            throw new ResyncRequiredException("The change feed was rebuilt since this cursor was issued; "
                    + "reload with queries and subscribe from a new cursor");
        }
        long first = firstStoredSequence();
        long last = lastStoredSequence();
        if (cursor.sequence() > last) {
            throw new ResyncRequiredException("The cursor is ahead of the change feed (at " + last + "); "
                    + "reload with queries and subscribe from a new cursor");
        }
        if (first > cursor.sequence() + 1) {
            throw new ResyncRequiredException("Changes after this cursor are no longer retained (the feed starts at "
                    + first + "); reload with queries and subscribe from a new cursor");
        }
        return read(cursor.sequence());
    }

    /** The entries after a sequence number, a page at a time as the subscriber takes them. */
    private Flux<FeedEntry> remainingReplay(long after) {
        return Flux.<FeedEntry>defer(() -> {
            List<FeedEntry> page = read(after);
            if (page.isEmpty()) {
                return Flux.empty();
            }
            return Flux.fromIterable(page).concatWith(page.size() < READ_BATCH
                    ? Flux.empty()
                    : remainingReplay(page.get(page.size() - 1).sequence()));
        }).subscribeOn(BLOCKING);
    }

    /**
     * The entries after a sequence number; fails with {@link ResyncRequiredException} when the
     * next one is gone (trimmed while a slow replay was under way), since sequences have no gaps.
     */
    private List<FeedEntry> read(long afterSequence) {
        List<FeedEntry> entries = redis.xrange(ReadModelKeys.FEED, Range.create((afterSequence + 1) + "-0", "+"),
                Limit.create(0, READ_BATCH)).stream().map(FeedReader::entry).toList();
        // Nothing after it is fine (an entry appended since cannot leave a gap, sequences have none),
        // unless the feed now starts past the next one.
        boolean gap = entries.isEmpty() ? firstStoredSequence() > afterSequence + 1 : entries.get(0).sequence() != afterSequence + 1;
        if (gap) {
            throw new ResyncRequiredException("Changes after this cursor were trimmed from the feed during the replay; "
                    + "reload with queries and subscribe from a new cursor");
        }
        return entries;
    }

    private String currentEpoch() {
        return currentEpoch(redis);
    }

    private static String currentEpoch(RedisCommands<String, String> on) {
        String stored = on.get(ReadModelKeys.FEED_EPOCH);
        return stored == null ? "" : stored;
    }

    private long firstStoredSequence() {
        return redis.xrange(ReadModelKeys.FEED, Range.create("-", "+"), Limit.create(0, 1)).stream()
                .map(message -> FeedEntry.sequenceOf(message.getId())).findFirst().orElse(Long.MAX_VALUE);
    }

    private long lastStoredSequence() {
        return redis.xrevrange(ReadModelKeys.FEED, Range.create("-", "+"), Limit.create(0, 1)).stream()
                .map(message -> FeedEntry.sequenceOf(message.getId())).findFirst().orElse(0L);
    }

    private static FeedEntry entry(StreamMessage<String, String> message) {
        return FeedEntry.fromFields(message.getId(), message.getBody());
    }

    @Override
    public synchronized void start() {
        epoch = currentEpoch();
        lastSequence = lastStoredSequence();
        running = true;
        thread = new Thread(this::readLoop, "orderly-feed-reader");
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
        String storedEpoch = currentEpoch(blocking);
        if (!storedEpoch.equals(epoch)) {
            // A first feed appearing is no rebuild: there was nothing before it to miss.
            if (!epoch.isEmpty()) {
                log.info("The change feed was rebuilt (epoch {} → {}); live subscriptions must resync", epoch, storedEpoch);
                subscribers.forEach(subscriber -> subscriber.sink.tryEmitError(new ResyncRequiredException(
                        "The change feed was rebuilt; reload with queries and subscribe from a new cursor")));
            }
            epoch = storedEpoch;
            lastSequence = 0;
        }
        List<StreamMessage<String, String>> messages = blocking.xread(
                XReadArgs.Builder.block(BLOCK).count(READ_BATCH),
                XReadArgs.StreamOffset.from(ReadModelKeys.FEED, lastSequence + "-0"));
        for (StreamMessage<String, String> message : messages) {
            FeedEntry entry = entry(message);
            lastSequence = entry.sequence();
            subscribers.forEach(subscriber -> subscriber.offer(entry));
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
