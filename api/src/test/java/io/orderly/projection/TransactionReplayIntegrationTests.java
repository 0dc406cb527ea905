package io.orderly.projection;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.lettuce.core.Range;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.apply.Projection;
import io.orderly.cdc.apply.ProjectorFencedException;
import io.orderly.cdc.apply.TransactionApplier;
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
import org.junit.jupiter.api.Test;

import static io.orderly.projection.CustomerChanges.deleted;
import static io.orderly.projection.CustomerChanges.inserted;
import static io.orderly.projection.CustomerChanges.updated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Applying source transactions to a real Redis, in a database of its own (the application's
 * projector keeps running in database 0): atomic, ordered and idempotent.
 */
class TransactionReplayIntegrationTests extends OwnRedisDatabaseTest {

    private static final List<Projection> PROJECTIONS = List.of(new CustomerProjection());

    @Override
    protected int ownDatabase() {
        return 9;
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

        applier.apply(transaction(200, 502, deleted(ann)));

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
        applier.apply(transaction(300, 503, deleted(bob)));
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
        return new TransactionApplier(connection, PROJECTIONS, clock, 1000, true);
    }

    private static SourceTransaction transaction(long position, long txId, RowChange... changes) {
        return SourceTransaction.committed(txId, position, Instant.parse("2026-11-26T09:00:00Z").plusMillis(position), List.of(changes));
    }

    private CustomerDocument customer(String id) {
        return ReadModelJson.read(connection.sync().get(ReadModelKeys.customer(id)), CustomerDocument.class);
    }

    private static Clock clockAt(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }
}
