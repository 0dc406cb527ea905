package io.orderly.feed;

import java.util.List;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.readmodel.FeedEntry;
import io.orderly.cdc.readmodel.ReadModelKeys;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The change feed as Redis retains it: its epoch and its ends, and the entries after a cursor, a
 * page at a time, refused with {@link ResyncRequiredException} wherever the client could miss one
 * (another epoch, a cursor ahead of the feed, entries trimmed). Reads on the connection the read
 * side shares, and blocks.
 */
final class FeedHistory {

    static final int READ_BATCH = 500;

    /** Blocking reads run here, never on the thread of a subscriber, which may be one of Lettuce's. */
    static final Scheduler BLOCKING = Schedulers.boundedElastic();

    private final RedisCommands<String, String> redis;

    FeedHistory(StatefulRedisConnection<String, String> queryConnection) {
        this.redis = queryConnection.sync();
    }

    /** The first page after the cursor, once the feed still holds everything after it. */
    List<FeedEntry> firstPage(FeedCursor cursor) {
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
    Flux<FeedEntry> after(long sequence) {
        return Flux.<FeedEntry>defer(() -> {
            List<FeedEntry> page = read(sequence);
            if (page.isEmpty()) {
                return Flux.empty();
            }
            return Flux.fromIterable(page).concatWith(page.size() < READ_BATCH
                    ? Flux.empty()
                    : after(page.get(page.size() - 1).sequence()));
        }).subscribeOn(BLOCKING);
    }

    /**
     * The entries after a sequence number; fails with {@link ResyncRequiredException} when the
     * next one is gone (trimmed while a slow replay was under way), since sequences have no gaps.
     */
    private List<FeedEntry> read(long afterSequence) {
        List<FeedEntry> entries = redis.xrange(ReadModelKeys.FEED, Range.create((afterSequence + 1) + "-0", "+"),
                Limit.create(0, READ_BATCH)).stream().map(FeedHistory::entry).toList();
        // Nothing after it is fine (an entry appended since cannot leave a gap, sequences have none),
        // unless the feed now starts past the next one.
        boolean gap = entries.isEmpty() ? firstStoredSequence() > afterSequence + 1 : entries.get(0).sequence() != afterSequence + 1;
        if (gap) {
            throw new ResyncRequiredException("Changes after this cursor were trimmed from the feed during the replay; "
                    + "reload with queries and subscribe from a new cursor");
        }
        return entries;
    }

    String currentEpoch() {
        return currentEpoch(redis);
    }

    static String currentEpoch(RedisCommands<String, String> on) {
        String stored = on.get(ReadModelKeys.FEED_EPOCH);
        return stored == null ? "" : stored;
    }

    private long firstStoredSequence() {
        return redis.xrange(ReadModelKeys.FEED, Range.create("-", "+"), Limit.create(0, 1)).stream()
                .map(message -> FeedEntry.sequenceOf(message.getId())).findFirst().orElse(Long.MAX_VALUE);
    }

    long lastStoredSequence() {
        return lastStoredSequence(redis);
    }

    static long lastStoredSequence(RedisCommands<String, String> on) {
        return on.xrevrange(ReadModelKeys.FEED, Range.create("-", "+"), Limit.create(0, 1)).stream()
                .map(message -> FeedEntry.sequenceOf(message.getId())).findFirst().orElse(0L);
    }

    static FeedEntry entry(StreamMessage<String, String> message) {
        return FeedEntry.fromFields(message.getId(), message.getBody());
    }
}
