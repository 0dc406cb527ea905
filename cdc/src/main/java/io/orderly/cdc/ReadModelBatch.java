package io.orderly.cdc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.readmodel.ReadModelDocument;
import io.orderly.cdc.readmodel.ReadModelJson;

/**
 * The read-model writes of one source transaction, staged in memory until the projector commits
 * them in one MULTI/EXEC together with its watermark. Reads see the batch's own staged documents
 * first, then Redis, so several changes to one document within a transaction compose.
 */
public final class ReadModelBatch {

    private final RedisCommands<String, String> redis;
    private final long position;
    private final boolean snapshot;
    private final Map<String, Optional<String>> stagedDocuments = new HashMap<>();
    private final List<Consumer<RedisCommands<String, String>>> writes = new ArrayList<>();

    ReadModelBatch(RedisCommands<String, String> redis, long position, boolean snapshot) {
        this.redis = redis;
        this.position = position;
        this.snapshot = snapshot;
    }

    /** The commit position of the transaction being applied; documents written now carry it. */
    public long position() {
        return position;
    }

    public <T extends ReadModelDocument> Optional<T> document(String key, Class<T> type) {
        Optional<String> json = stagedDocuments.containsKey(key)
                ? stagedDocuments.get(key)
                : Optional.ofNullable(redis.get(key));
        return json.map(value -> ReadModelJson.read(value, type));
    }

    /**
     * Whether a change of this batch may touch the document at {@code key}: true unless the
     * document already reflects this position or a later one (a replayed or overlapping change).
     * Documents this batch wrote itself stay writable, so several changes of one transaction to
     * one document all apply; so do documents written at this very position by an earlier chunk
     * of the same snapshot, where every row shares the snapshot's position.
     */
    public boolean mayChange(String key, Optional<? extends ReadModelDocument> existing) {
        if (existing.isEmpty() || stagedDocuments.containsKey(key)) {
            return true;
        }
        long written = existing.get().lsn();
        return written < position || (snapshot && written == position);
    }

    public void putDocument(String key, ReadModelDocument document) {
        String json = ReadModelJson.write(document);
        stagedDocuments.put(key, Optional.of(json));
        writes.add(commands -> commands.set(key, json));
    }

    public void deleteDocument(String key) {
        stagedDocuments.put(key, Optional.empty());
        writes.add(commands -> commands.del(key));
    }

    /** Sets a plain string value, such as a lookup from a natural key to an id. */
    public void putValue(String key, String value) {
        writes.add(commands -> commands.set(key, value));
    }

    public void deleteKey(String key) {
        writes.add(commands -> commands.del(key));
    }

    /**
     * The last {@code count} members of a lexicographic index as Redis has them, without this
     * batch's staged changes.
     */
    public List<String> lastIndexMembers(String index, int count) {
        return redis.zrevrangebylex(index, Range.unbounded(), Limit.create(0, count));
    }

    /** Adds a member to a lexicographically ordered index (score 0). */
    public void addToIndex(String index, String member) {
        writes.add(commands -> commands.zadd(index, 0, member));
    }

    public void removeFromIndex(String index, String member) {
        writes.add(commands -> commands.zrem(index, member));
    }

    boolean isEmpty() {
        return writes.isEmpty();
    }

    /** Queues the staged writes on a connection that is inside MULTI. */
    void queueInto(RedisCommands<String, String> transaction) {
        writes.forEach(write -> write.accept(transaction));
    }
}
