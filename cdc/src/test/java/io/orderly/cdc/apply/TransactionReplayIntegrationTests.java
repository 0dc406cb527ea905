package io.orderly.cdc.apply;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.TestRedis;
import io.orderly.cdc.assembly.Row;
import io.orderly.cdc.assembly.RowChange;
import io.orderly.cdc.assembly.SourceTransaction;
import io.orderly.cdc.customer.CustomerProjection;
import io.orderly.cdc.readmodel.ConsistencyToken;
import io.orderly.cdc.readmodel.CustomerDocument;
import io.orderly.cdc.readmodel.EntityType;
import io.orderly.cdc.readmodel.FeedEntry;
import io.orderly.cdc.readmodel.ReadModelJson;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.cdc.readmodel.Watermark;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** Applying source transactions to a real Redis: atomic, ordered and idempotent. */
class TransactionReplayIntegrationTests {

    private static final int OWN_DATABASE = 1;
    private static final List<Projection> PROJECTIONS = List.of(new CustomerProjection());

    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    @BeforeEach
    void emptyDatabase() {
        client = TestRedis.emptyDatabase(OWN_DATABASE);
        connection = client.connect();
    }

    @AfterEach
    void close() {
        connection.close();
        client.shutdown();
    }

    @Test
    void replayingAppliedTransactionsLeavesRedisByteForByteTheSame() {
        String ann = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        List<SourceTransaction> stream = List.of(
                transaction(100, 501, inserted(ann, "ann@example.com", "Ann", 1)),
                transaction(200, 502, inserted(bob, "bob@example.com", "Bob", 1)),
                transaction(300, 503, updated(ann, "ann@example.com", "Ann Lee", 2)));
        TransactionApplier applier = applier(clockAt("2026-11-26T10:00:00Z"));
        stream.forEach(transaction -> assertThat(applier.apply(transaction)).isTrue());
        Map<String, String> before = dump();

        TransactionApplier restarted = applier(clockAt("2026-11-26T11:00:00Z"));
        stream.forEach(transaction -> assertThat(restarted.apply(transaction)).isFalse());
        stream.forEach(transaction -> assertThat(restarted.apply(transaction)).isFalse());

        assertThat(dump()).isEqualTo(before);
        assertThat(customer(ann)).extracting(CustomerDocument::name, CustomerDocument::version, CustomerDocument::lsn)
                .containsExactly("Ann Lee", 2, 300L);
        assertThat(restarted.watermark().position()).isEqualTo(300);
    }

    @Test
    void snapshotRowsNeverOverwriteNewerDocuments() {
        String ann = UUID.randomUUID().toString();
        TransactionApplier applier = applier(clockAt("2026-11-26T10:00:00Z"));
        applier.apply(transaction(100, 501, inserted(ann, "ann@example.com", "Ann", 1)));
        applier.apply(transaction(300, 503, updated(ann, "ann@example.com", "Ann Lee", 2)));
        Map<String, String> before = dump();

        SourceTransaction olderSnapshot = new SourceTransaction(499, 200, Instant.parse("2026-11-26T09:00:00Z"),
                List.of(inserted(ann, "ann@example.com", "Ann", 1)), true, false);
        applier.apply(olderSnapshot);

        assertThat(dump()).isEqualTo(before);
    }

    @Test
    void appliesEveryChangeOfATransactionTogetherWithTheWatermark() {
        String ann = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        TransactionApplier applier = applier(clockAt("2026-11-26T10:00:00Z"));

        applier.apply(transaction(100, 777, inserted(ann, "ann@example.com", "Ann", 1), inserted(bob, "bob@example.com", "Bob", 1),
                updated(ann, "ann@example.com", "Ann Lee", 2)));

        RedisCommands<String, String> redis = connection.sync();
        assertThat(customer(ann).name()).isEqualTo("Ann Lee");
        assertThat(customer(bob).name()).isEqualTo("Bob");
        assertThat(redis.zcard(ReadModelKeys.CUSTOMERS)).isEqualTo(2);
        assertThat(Watermark.fromHash(redis.hgetall(ReadModelKeys.WATERMARK)))
                .extracting(Watermark::position, Watermark::txId).containsExactly(100L, 777L);
        assertThat(redis.zscore(ReadModelKeys.APPLIED_TRANSACTIONS, "777")).isEqualTo(100.0);
    }

    @Test
    void deleteRemovesTheDocumentAndItsIndexEntry() {
        String ann = UUID.randomUUID().toString();
        TransactionApplier applier = applier(clockAt("2026-11-26T10:00:00Z"));
        applier.apply(transaction(100, 501, inserted(ann, "ann@example.com", "Ann", 1)));

        applier.apply(transaction(200, 502, new RowChange.Deleted("customers", new Row(Map.of("id", ann)))));

        assertThat(connection.sync().exists(ReadModelKeys.customer(ann))).isZero();
        assertThat(connection.sync().zcard(ReadModelKeys.CUSTOMERS)).isZero();
    }

    @Test
    void stopsWhenAnotherProjectorMovedTheWatermark() {
        TransactionApplier first = applier(clockAt("2026-11-26T10:00:00Z"));
        TransactionApplier second = applier(clockAt("2026-11-26T10:00:00Z"));
        first.apply(transaction(100, 501, inserted(UUID.randomUUID().toString(), "a@example.com", "A", 1)));
        String late = UUID.randomUUID().toString();

        assertThatThrownBy(() -> second.apply(transaction(200, 502, inserted(late, "b@example.com", "B", 1))))
                .isInstanceOf(ProjectorFencedException.class);
        assertThat(connection.sync().exists(ReadModelKeys.customer(late))).isZero();
    }

    @Test
    void appendsOneFeedEntryPerChangedDocumentWithGaplessSequences() {
        String ann = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        TransactionApplier applier = applier(clockAt("2026-11-26T10:00:00Z"));

        applier.apply(transaction(100, 501, inserted(ann, "ann@example.com", "Ann", 1), inserted(bob, "bob@example.com", "Bob", 1)));
        applier.apply(transaction(200, 502, updated(ann, "ann@example.com", "Ann Lee", 2)));
        applier.apply(transaction(300, 503, new RowChange.Deleted("customers", new Row(Map.of("id", bob)))));
        applier(clockAt("2026-11-26T11:00:00Z")).apply(transaction(400, 504, inserted(bob, "bob@example.com", "Bob", 1)));

        List<FeedEntry> feed = connection.sync().xrange(ReadModelKeys.FEED, Range.create("-", "+")).stream()
                .map(message -> FeedEntry.fromFields(message.getId(), message.getBody()))
                .toList();
        assertThat(feed).extracting(FeedEntry::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(feed).extracting(FeedEntry::id, FeedEntry::operation).containsExactly(
                tuple(ann, FeedEntry.Operation.CREATED), tuple(bob, FeedEntry.Operation.CREATED),
                tuple(ann, FeedEntry.Operation.UPDATED), tuple(bob, FeedEntry.Operation.DELETED),
                tuple(bob, FeedEntry.Operation.CREATED));
        assertThat(feed.get(2).token()).isEqualTo(new ConsistencyToken(200, 502).toString());
        assertThat(feed).allSatisfy(entry -> assertThat(entry.type()).isEqualTo(EntityType.CUSTOMER));
    }

    @Test
    void appliesAGroupOfTransactionsAtOnceEachSeeingTheOnesBefore() {
        String ann = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        List<SourceTransaction> group = List.of(
                transaction(100, 601, inserted(ann, "ann@example.com", "Ann", 1)),
                transaction(200, 602, updated(ann, "ann@example.com", "Ann Lee", 2)),
                transaction(300, 603, inserted(bob, "bob@example.com", "Bob", 1)));
        TransactionApplier applier = applier(clockAt("2026-11-26T10:00:00Z"));

        assertThat(applier.applyAll(group)).hasSize(3);

        assertThat(customer(ann)).extracting(CustomerDocument::name, CustomerDocument::version, CustomerDocument::lsn)
                .containsExactly("Ann Lee", 2, 200L);
        assertThat(applier.watermark().position()).isEqualTo(300);
        assertThat(connection.sync().zrange(ReadModelKeys.APPLIED_TRANSACTIONS, 0, -1)).containsExactly("601", "602", "603");
        assertThat(connection.sync().xrange(ReadModelKeys.FEED, Range.create("-", "+")))
                .extracting(message -> message.getBody().get("id") + " " + message.getBody().get("op"))
                .containsExactly(ann + " CREATED", ann + " UPDATED", bob + " CREATED");
        Map<String, String> before = dump();
        assertThat(applier(clockAt("2026-11-26T11:00:00Z")).applyAll(group)).isEmpty();
        assertThat(dump()).isEqualTo(before);
    }

    private TransactionApplier applier(Clock clock) {
        TransactionApplier applier = new TransactionApplier(connection, PROJECTIONS, clock, 1000, true);
        applier.open();
        return applier;
    }

    private static SourceTransaction transaction(long position, long txId, RowChange... changes) {
        return SourceTransaction.committed(txId, position, Instant.parse("2026-11-26T09:00:00Z").plusMillis(position), List.of(changes));
    }

    private static RowChange inserted(String id, String email, String name, int version) {
        return new RowChange.Inserted("customers", customerRow(id, email, name, version));
    }

    private static RowChange updated(String id, String email, String name, int version) {
        return new RowChange.Updated("customers", customerRow(id, email, name, version));
    }

    private static Row customerRow(String id, String email, String name, int version) {
        Map<String, Object> values = new HashMap<>();
        values.put("id", id);
        values.put("email", email);
        values.put("name", name);
        values.put("version", version);
        values.put("created_at", "2026-11-26T08:00:00.123456Z");
        values.put("updated_at", "2026-11-26T08:0" + version + ":00Z");
        return new Row(values);
    }

    private CustomerDocument customer(String id) {
        return ReadModelJson.read(connection.sync().get(ReadModelKeys.customer(id)), CustomerDocument.class);
    }

    /** Every key with its serialized value, as Redis itself encodes it. */
    private Map<String, String> dump() {
        RedisCommands<String, String> redis = connection.sync();
        Map<String, String> dump = new TreeMap<>();
        for (String key : redis.keys("*")) {
            dump.put(key, HexFormat.of().formatHex(redis.dump(key)));
        }
        return dump;
    }

    private static Clock clockAt(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }
}
