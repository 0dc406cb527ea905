package io.orderly.cdc.apply;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.readmodel.FeedEntry;
import io.orderly.cdc.readmodel.ReadModelJson;
import io.orderly.cdc.readmodel.ReadModelKeys;

/**
 * Where the parts of one transaction too large to apply in one step are projected: keys under
 * {@code orderly:staging:<txId>:<applier>:} that no reader looks at, holding the documents and
 * lookup values the transaction wrote in their final state, its index writes in order, its feed
 * entries, and how many writes it holds. {@link StagedSwitch} makes it all visible in steps of
 * bounded size, so that neither the projector nor Redis holds up anyone for the whole transaction.
 *
 * <p>The commit position of a transaction is known only at its end, so its parts are projected at
 * a provisional one, just above the watermark: above every document already applied, which is
 * all that the projections compare it with. The copy into place stamps the documents with the
 * real position, and the feed entries with the real consistency token and commit time.
 *
 * <p>The step that makes it visible runs under WATCH of the staging's keys, of the set listing
 * it and of {@link ReadModelKeys#SWITCH_STATE}, after checking that the staging holds every write
 * this applier sent: a staging another projector discarded or wrote into aborts that step, which
 * then writes nothing.
 */
final class StagingArea {

    /** The most documents, operations or feed entries sent in one command. */
    private static final int PAGE = 1000;

    private final long txId;
    /** {@code <txId>:<applier>}, as {@link ReadModelKeys#STAGING} lists it. */
    private final String id;
    private final long provisionalPosition;
    private final String documents;
    private final String operations;
    private final String feed;
    private final String count;
    private final String indexes;
    private long changes;
    /** How many documents and operations this applier staged, as {@link #count} counts them in Redis. */
    private long written;
    /** The replies to the writes sent and not yet checked: those of one part at most. */
    private final List<RedisFuture<?>> unconfirmed = new ArrayList<>();

    private StagingArea(long txId, String id, long provisionalPosition) {
        this.txId = txId;
        this.id = id;
        this.provisionalPosition = provisionalPosition;
        this.documents = ReadModelKeys.stagedDocuments(id);
        this.operations = ReadModelKeys.stagedOperations(id);
        this.feed = ReadModelKeys.stagedFeed(id);
        this.count = ReadModelKeys.stagedWrites(id);
        this.indexes = ReadModelKeys.stagedIndexes(id);
    }

    /**
     * Starts staging a transaction, over whatever an earlier attempt at it left behind.
     *
     * @param applier names the applier, unique to it
     * @param watermark the position of the last transaction applied, which this one follows
     */
    static StagingArea begin(RedisCommands<String, String> redis, long txId, String applier, long watermark) {
        StagingArea area = new StagingArea(txId, txId + ":" + applier, watermark + 1);
        redis.sadd(ReadModelKeys.STAGING, area.id);
        return area;
    }

    /**
     * Deletes the staging of every transaction left uncommitted, by a projector that stopped or
     * crashed while staging it: the transaction comes again from the source, from its beginning.
     *
     * @return how many staged transactions were discarded
     */
    static int discardStale(RedisCommands<String, String> redis) {
        Set<String> stale = redis.smembers(ReadModelKeys.STAGING);
        for (String id : stale) {
            new StagingArea(Long.parseLong(id.substring(0, id.indexOf(':'))), id, 0).discard(redis);
        }
        return stale.size();
    }

    /**
     * Deletes the staging and its index copies in one step, unless it is the visible one being
     * copied into place (a projector that lost its lease may have just made it visible): that one
     * is finished, never discarded.
     */
    void discard(RedisCommands<String, String> redis) {
        // Writes still in flight come before the UNLINK; whether Redis took them no longer matters.
        unconfirmed.clear();
        StagedSwitch.discard(redis, this);
    }

    long txId() {
        return txId;
    }

    /** {@code <txId>:<applier>}, as {@link ReadModelKeys#STAGING} lists it. */
    String id() {
        return id;
    }

    /** The hash of the staged documents and lookup values. */
    String documentsKey() {
        return documents;
    }

    String operationsKey() {
        return operations;
    }

    String feedKey() {
        return feed;
    }

    String countKey() {
        return count;
    }

    /** The set of the indexes copied for the transaction's index writes. */
    String indexesKey() {
        return indexes;
    }

    /** What a copy's key is: this, then the key of its index. */
    String indexCopiesPrefix() {
        return ReadModelKeys.stagedIndexCopies(id);
    }

    /** The position the transaction's parts are projected at, until its commit position is known. */
    long provisionalPosition() {
        return provisionalPosition;
    }

    /** How many row changes of the transaction have been staged. */
    long changes() {
        return changes;
    }

    void staged(int count) {
        changes += count;
    }

    /**
     * Sends the writes of one part without waiting for Redis to answer: the source reads on
     * meanwhile. Commands on one connection run in order, so what the next part reads, and the
     * commit, come after these writes; {@link #awaitStaged} checks that Redis took them.
     */
    void stage(RedisAsyncCommands<String, String> commands, Map<String, String> stagedDocuments,
            List<String> stagedOperations, Map<String, String> feedEntries, List<String> unannounced) {
        List<RedisFuture<?>> replies = new ArrayList<>();
        for (Map<String, String> page : pages(stagedDocuments)) {
            replies.add(commands.hset(documents, page));
        }
        for (int from = 0; from < stagedOperations.size(); from += PAGE) {
            replies.add(commands.rpush(operations,
                    stagedOperations.subList(from, Math.min(from + PAGE, stagedOperations.size())).toArray(String[]::new)));
        }
        for (Map<String, String> page : pages(feedEntries)) {
            replies.add(commands.hset(feed, page));
        }
        for (int from = 0; from < unannounced.size(); from += PAGE) {
            replies.add(commands.hdel(feed, unannounced.subList(from, Math.min(from + PAGE, unannounced.size())).toArray(String[]::new)));
        }
        int sent = stagedDocuments.size() + stagedOperations.size();
        written += sent;
        replies.add(commands.incrby(count, sent));
        unconfirmed.addAll(replies);
    }

    /**
     * Waits for Redis' answers to the writes sent so far, which it has usually carried out while
     * the next part was being read.
     *
     * @throws io.lettuce.core.RedisCommandExecutionException when Redis refused one (out of memory, say)
     */
    void awaitStaged(Duration timeout) {
        for (RedisFuture<?> reply : unconfirmed) {
            LettuceFutures.awaitOrCancel(reply, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        unconfirmed.clear();
    }

    /**
     * Watches the staging, then checks it is whole: still listed, and holding every write this
     * applier staged, with no other staged transaction being copied into place. From here until
     * EXEC, a change to it aborts the commit.
     *
     * @return whether the staging is whole; when not, nothing is watched any more
     */
    boolean watchWhole(RedisCommands<String, String> redis) {
        redis.watch(ReadModelKeys.STAGING, ReadModelKeys.SWITCH_STATE, documents, operations, feed, count, indexes);
        boolean whole = whole(redis) && redis.exists(ReadModelKeys.SWITCH_STATE) == 0;
        if (!whole) {
            redis.unwatch();
        }
        return whole;
    }

    /** Whether the staging is still listed and holds every write this applier staged. */
    boolean whole(RedisCommands<String, String> redis) {
        String counted = redis.get(count);
        return redis.sismember(ReadModelKeys.STAGING, id) && counted != null && Long.parseLong(counted) == written;
    }

    /** A feed entry's fields but its commit time and token, which {@link StagedSwitch} adds when it appends the entry. */
    static String feedFields(FeedEntry entry) {
        List<String> fields = new ArrayList<>();
        entry.toFields().forEach((name, value) -> {
            if (!name.equals("committedAt") && !name.equals("token")) {
                fields.add(name);
                fields.add(value);
            }
        });
        return ReadModelJson.write(fields);
    }

    private static List<Map<String, String>> pages(Map<String, String> entries) {
        List<Map<String, String>> pages = new ArrayList<>();
        Map<String, String> page = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            page.put(entry.getKey(), entry.getValue());
            if (page.size() == PAGE) {
                pages.add(page);
                page = new LinkedHashMap<>();
            }
        }
        if (!page.isEmpty()) {
            pages.add(page);
        }
        return pages;
    }
}
