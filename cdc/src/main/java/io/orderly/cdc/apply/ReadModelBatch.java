package io.orderly.cdc.apply;

import java.util.ArrayList;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.readmodel.FeedEntry;
import io.orderly.cdc.readmodel.ReadModelDocument;
import io.orderly.cdc.readmodel.ReadModelJson;
import io.orderly.cdc.readmodel.ReadModelKeys;
import org.jspecify.annotations.Nullable;

/**
 * The read-model writes of one source transaction, staged in memory until the projector commits
 * them in one MULTI/EXEC together with its watermark. Reads see the batch's own staged documents
 * first, then Redis, so several changes to one document within a transaction compose.
 *
 * <p>Documents are kept as objects: each is decoded from Redis once per batch, and encoded once,
 * in its final state, when the batch is written; a snapshot chunk changes one order once per line
 * and one product once per line sold.
 */
public final class ReadModelBatch {

    private final RedisCommands<String, String> redis;
    private final StoredDocuments stored;
    private final long position;
    private final boolean snapshot;
    /** The batch of the previous transaction applied in the same MULTI/EXEC, whose writes this one sees. */
    private final @Nullable ReadModelBatch previous;
    /** Documents as Redis holds them, decoded once: only the first batch of a group reads Redis. */
    private final Map<String, Optional<? extends ReadModelDocument>> decoded = new HashMap<>();
    /** Each document this batch writes, as it was before the batch: for the change feed. */
    private final Map<String, Optional<? extends ReadModelDocument>> originals = new LinkedHashMap<>();
    /** Each document this batch writes, in its latest state (empty: deleted). */
    private final Map<String, Optional<ReadModelDocument>> finals = new LinkedHashMap<>();
    private final List<Write> writes = new ArrayList<>();

    /** One write of the batch, replayed on a connection inside MULTI or staged for later. */
    private record Write(Kind kind, String key, @Nullable String value) {

        enum Kind { VALUE, DELETION, INDEX_ADDITION, INDEX_REMOVAL }
    }

    ReadModelBatch(RedisCommands<String, String> redis, StoredDocuments stored, long position, boolean snapshot,
            @Nullable ReadModelBatch previous) {
        this.redis = redis;
        this.stored = stored;
        this.position = position;
        this.snapshot = snapshot;
        this.previous = previous;
    }

    /** The commit position of the transaction being applied; documents written now carry it. */
    public long position() {
        return position;
    }

    /** The document as this batch sees it: its own writes, then those of earlier batches, then Redis. */
    public <T extends ReadModelDocument> Optional<T> document(String key, Class<T> type) {
        Optional<? extends ReadModelDocument> found = finals.containsKey(key) ? finals.get(key) : before(key, type);
        return found.map(type::cast);
    }

    /** The document as it was before this batch. */
    private Optional<? extends ReadModelDocument> before(String key, Class<? extends ReadModelDocument> type) {
        if (previous != null) {
            return previous.document(key, type);
        }
        return decoded.computeIfAbsent(key, absent -> stored.get(absent).map(json -> ReadModelJson.read(json, type)));
    }

    /**
     * Whether a change of this batch may touch the document at {@code key}: true unless the
     * document already reflects this position or a later one (a replayed or overlapping change).
     * Documents this batch wrote itself stay writable, so several changes of one transaction to
     * one document all apply; so do documents written at this very position by an earlier chunk
     * of the same snapshot, where every row shares the snapshot's position, or staged by an
     * earlier part of the same transaction.
     */
    public boolean mayChange(String key, Optional<? extends ReadModelDocument> existing) {
        if (existing.isEmpty() || finals.containsKey(key) || stored.stagedEarlier(key)) {
            return true;
        }
        long written = existing.get().lsn();
        return written < position || (snapshot && written == position);
    }

    public void putDocument(String key, ReadModelDocument document) {
        rememberOriginal(key, document.getClass());
        finals.put(key, Optional.of(document));
    }

    public <T extends ReadModelDocument> void deleteDocument(String key, Class<T> type) {
        rememberOriginal(key, type);
        finals.put(key, Optional.empty());
    }

    /** Sets a plain string value, such as a lookup from a natural key to an id. */
    public void putValue(String key, String value) {
        writes.add(new Write(Write.Kind.VALUE, key, value));
    }

    public void deleteKey(String key) {
        writes.add(new Write(Write.Kind.DELETION, key, null));
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
        writes.add(new Write(Write.Kind.INDEX_ADDITION, index, member));
    }

    public void removeFromIndex(String index, String member) {
        writes.add(new Write(Write.Kind.INDEX_REMOVAL, index, member));
    }

    boolean isEmpty() {
        return writes.isEmpty() && finals.isEmpty();
    }

    private <T extends ReadModelDocument> void rememberOriginal(String key, Class<T> type) {
        if (!originals.containsKey(key)) {
            // A staged transaction's feed compares with what readers saw before it, not with its earlier parts.
            originals.put(key, stored.stagedEarlier(key)
                    ? stored.committed(key).map(json -> ReadModelJson.read(json, type))
                    : before(key, type));
        }
    }

    /**
     * One feed entry per document this batch created, changed or deleted, as readers see them
     * (stubs are invisible, so a stub turning complete is a creation), numbered from {@code nextSequence}.
     */
    List<FeedEntry> feedEntries(long nextSequence, Instant committedAt, String token) {
        List<FeedEntry> entries = new ArrayList<>();
        originals.keySet().forEach(key -> feedEntry(key, nextSequence + entries.size(), committedAt, token).ifPresent(entries::add));
        return entries;
    }

    /** The feed entry for one document this batch wrote, if readers see a change. */
    private Optional<FeedEntry> feedEntry(String key, long sequence, Instant committedAt, String token) {
        Optional<ReadModelDocument> before = originals.get(key).filter(ReadModelDocument::isComplete).map(ReadModelDocument.class::cast);
        Optional<ReadModelDocument> after = finals.get(key).filter(ReadModelDocument::isComplete);
        Optional<FeedEntry.Operation> operation = before.isEmpty()
                ? after.map(document -> FeedEntry.Operation.CREATED)
                : Optional.of(after.isPresent() ? FeedEntry.Operation.UPDATED : FeedEntry.Operation.DELETED);
        return operation.map(op -> {
            ReadModelDocument document = after.orElseGet(before::get);
            return new FeedEntry(sequence, document.entityType(), document.id(), op, committedAt, token, document.customerId());
        });
    }

    /**
     * Adds the staged writes to those of the group being committed, after those of the batches
     * before this one: the documents in their final state, the rest in order.
     */
    void addTo(NetWrites group) {
        for (Write write : writes) {
            switch (write.kind()) {
                case VALUE -> group.set(write.key(), write.value());
                case DELETION -> group.delete(write.key());
                case INDEX_ADDITION -> group.addToIndex(write.key(), write.value());
                case INDEX_REMOVAL -> group.removeFromIndex(write.key(), write.value());
            }
        }
        finals.forEach((key, document) -> document.ifPresentOrElse(
                present -> group.set(key, ReadModelJson.write(present)), () -> group.delete(key)));
    }

    /**
     * Writes this part of a staged transaction into its staging keys, where no reader looks: the
     * documents and lookup values in their final state, the index writes in order as operations to replay, and the
     * feed entry of each document it touched (without its commit time and token, known only at
     * the end).
     * The writes are sent without waiting ({@link StagingArea#stage}).
     *
     * @param announce whether the transaction goes to the change feed
     */
    void stageInto(RedisAsyncCommands<String, String> commands, StagingArea staging, boolean announce) {
        Map<String, String> documents = new LinkedHashMap<>();
        Map<String, String> feed = new LinkedHashMap<>();
        List<String> unannounced = new ArrayList<>();
        finals.forEach((key, document) -> {
            documents.put(key, document.map(ReadModelJson::write).orElse(ReadModelKeys.STAGED_DELETION));
            if (announce) {
                feedEntry(key, 0, Instant.EPOCH, "").ifPresentOrElse(
                        entry -> feed.put(key, StagingArea.feedFields(entry)), () -> unannounced.add(key));
            }
        });
        // Lookup values are staged with the documents, which readers see at once when the transaction turns visible.
        StagedOperations operations = new StagedOperations();
        for (Write write : writes) {
            switch (write.kind()) {
                case VALUE -> documents.put(write.key(), write.value());
                case DELETION -> documents.put(write.key(), ReadModelKeys.STAGED_DELETION);
                case INDEX_ADDITION -> operations.addToIndex(write.key(), write.value());
                case INDEX_REMOVAL -> operations.removeFromIndex(write.key(), write.value());
            }
        }
        staging.stage(commands, documents, operations.encoded(), feed, unannounced);
    }
}
