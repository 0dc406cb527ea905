package io.orderly.projection;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.lettuce.core.Range;
import io.orderly.cdc.apply.TransactionApplier;
import io.orderly.cdc.assembly.RowChange;
import io.orderly.cdc.assembly.SourceTransaction;
import io.orderly.cdc.assembly.TransactionPart;
import io.orderly.cdc.customer.CustomerProjection;
import io.orderly.cdc.readmodel.ConsistencyToken;
import io.orderly.cdc.readmodel.FeedEntry;
import io.orderly.cdc.readmodel.ReadModelKeys;
import org.junit.jupiter.api.Test;

import static io.orderly.projection.CustomerChanges.deleted;
import static io.orderly.projection.CustomerChanges.inserted;
import static io.orderly.projection.CustomerChanges.updated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A transaction staged in parts, against a real Redis in a database of its own: invisible until
 * its end, then the same read models as the transaction applied whole, and replay-safe.
 */
class StagedTransactionIntegrationTests extends OwnRedisDatabaseTest {

    private static final long POSITION = 100;
    private static final long TX_ID = 701;

    @Override
    protected int ownDatabase() {
        return 10;
    }

    private final String ann = UUID.randomUUID().toString();
    private final String bob = UUID.randomUUID().toString();
    private final String carl = UUID.randomUUID().toString();
    /** Ann is created in the first part and renamed in the second; Bob is created, then deleted at the end. */
    private final List<RowChange> firstPart = List.of(inserted(ann, "ann@example.com", "Ann", 1), inserted(bob, "bob@example.com", "Bob", 1));
    private final List<RowChange> secondPart = List.of(inserted(carl, "carl@example.com", "Carl", 1),
            updated(ann, "ann@example.com", "Ann Lee", 2));
    private final List<RowChange> end = List.of(deleted(bob));

    @Test
    void leavesTheSameReadModelsAsTheTransactionAppliedWholeAndNothingBeforeItsEnd() {
        applier().apply(SourceTransaction.committed(TX_ID, POSITION, committedAt(),
                concat(firstPart, secondPart, end)));
        Map<String, String> whole = dumpWithoutFeed();
        List<String> wholeFeed = feed();
        connection.sync().flushdb();

        TransactionApplier applier = applier();
        applier.stage(new TransactionPart(TX_ID, firstPart));
        applier.stage(new TransactionPart(TX_ID, secondPart));

        assertThat(connection.sync().keys(ReadModelKeys.PREFIX + "customer:*")).isEmpty();
        assertThat(connection.sync().exists(ReadModelKeys.CUSTOMERS, ReadModelKeys.FEED, ReadModelKeys.WATERMARK)).isZero();
        assertThat(applier.applyAll(List.of(stagedEnd()))).hasSize(1);

        assertThat(dumpWithoutFeed()).isEqualTo(whole);
        assertThat(feed()).containsExactlyInAnyOrderElementsOf(wholeFeed)
                .containsExactlyInAnyOrder(ann + " CREATED", carl + " CREATED");
        assertThat(connection.sync().xrange(ReadModelKeys.FEED, Range.create("-", "+")))
                .extracting(message -> FeedEntry.fromFields(message.getId(), message.getBody()))
                .extracting(FeedEntry::sequence, FeedEntry::token, FeedEntry::committedAt)
                .containsOnly(tuple(1L, new ConsistencyToken(POSITION, TX_ID).toString(), committedAt()),
                        tuple(2L, new ConsistencyToken(POSITION, TX_ID).toString(), committedAt()));
        assertThat(connection.sync().keys(ReadModelKeys.STAGING + "*")).isEmpty();
    }

    @Test
    void replayingAStagedTransactionChangesNothing() {
        TransactionApplier applier = applier();
        stageAndEnd(applier);
        Map<String, String> before = dump();

        TransactionApplier restarted = applier();
        restarted.stage(new TransactionPart(TX_ID, firstPart));
        restarted.stage(new TransactionPart(TX_ID, secondPart));
        assertThat(restarted.applyAll(List.of(stagedEnd()))).isEmpty();

        assertThat(dump()).isEqualTo(before);
    }

    @Test
    void aRestartedProjectorDiscardsWhatWasStagedAndAppliesTheTransactionAgainFromItsStart() {
        TransactionApplier crashed = applier();
        crashed.stage(new TransactionPart(TX_ID, firstPart));
        assertThat(connection.sync().smembers(ReadModelKeys.STAGING)).singleElement().asString().startsWith(TX_ID + ":");

        TransactionApplier restarted = applier();
        assertThat(connection.sync().keys(ReadModelKeys.STAGING + "*")).isEmpty();
        stageAndEnd(restarted);

        assertThat(connection.sync().zcard(ReadModelKeys.CUSTOMERS)).isEqualTo(2);
        assertThat(feed()).containsExactlyInAnyOrder(ann + " CREATED", carl + " CREATED");
        assertThat(connection.sync().keys(ReadModelKeys.STAGING + "*")).isEmpty();
    }

    @Test
    void aFirstPartStartsTheStagingOverWhenTheSameTransactionIsReadAgainByTheSameProjector() {
        TransactionApplier applier = applier();
        applier.stage(new TransactionPart(TX_ID, firstPart, true));
        applier.stage(new TransactionPart(TX_ID, secondPart));

        // The source read the transaction again from its beginning (a cut-short copy, then the whole one).
        stageAndEnd(applier, true);

        assertThat(connection.sync().zcard(ReadModelKeys.CUSTOMERS)).isEqualTo(2);
        assertThat(feed()).containsExactlyInAnyOrder(ann + " CREATED", carl + " CREATED");
        assertThat(connection.sync().keys(ReadModelKeys.STAGING + "*")).isEmpty();
    }

    @Test
    void aProjectorWhoseStagingAnotherDiscardedWritesNothingOfTheTransaction() {
        TransactionApplier fencedOff = applier();
        fencedOff.stage(new TransactionPart(TX_ID, firstPart));
        applier();
        fencedOff.stage(new TransactionPart(TX_ID, secondPart));

        assertThatThrownBy(() -> fencedOff.applyAll(List.of(stagedEnd()))).hasMessageContaining("another projector");
        assertThat(connection.sync().keys(ReadModelKeys.PREFIX + "customer:*")).isEmpty();
        assertThat(connection.sync().exists(ReadModelKeys.CUSTOMERS, ReadModelKeys.FEED, ReadModelKeys.WATERMARK)).isZero();
    }

    @Test
    void numbersEveryFeedEntryButWritesOnlyThoseTheFeedRetains() {
        TransactionApplier applier = applier(1);
        stageAndEnd(applier);
        String dan = UUID.randomUUID().toString();
        applier.apply(SourceTransaction.committed(TX_ID + 1, POSITION + 1, committedAt(), List.of(inserted(dan, "dan@example.com", "Dan", 1))));

        // Two entries numbered, the first left out as the retention of one would trim it: a reader behind it resyncs.
        assertThat(connection.sync().xrange(ReadModelKeys.FEED, Range.create("-", "+")))
                .extracting(message -> FeedEntry.sequenceOf(message.getId()))
                .containsExactly(2L, 3L);
    }

    private void stageAndEnd(TransactionApplier applier) {
        stageAndEnd(applier, false);
    }

    private void stageAndEnd(TransactionApplier applier, boolean first) {
        applier.stage(new TransactionPart(TX_ID, firstPart, first));
        applier.stage(new TransactionPart(TX_ID, secondPart));
        assertThat(applier.applyAll(List.of(stagedEnd()))).hasSize(1);
    }

    private SourceTransaction stagedEnd() {
        return SourceTransaction.endOfStaged(TX_ID, POSITION, committedAt(), end, firstPart.size() + secondPart.size());
    }

    private TransactionApplier applier() {
        return applier(1000);
    }

    private TransactionApplier applier(long feedRetention) {
        TransactionApplier applier = new TransactionApplier(connection, List.of(new CustomerProjection()),
                Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC), feedRetention, true);
        applier.open();
        return applier;
    }

    private static Instant committedAt() {
        return Instant.parse("2026-11-26T09:00:00Z");
    }

    @SafeVarargs
    private static List<RowChange> concat(List<RowChange>... parts) {
        return Arrays.stream(parts).flatMap(List::stream).toList();
    }

    private List<String> feed() {
        return connection.sync().xrange(ReadModelKeys.FEED, Range.create("-", "+")).stream()
                .map(message -> message.getBody().get("id") + " " + message.getBody().get("op"))
                .toList();
    }

    /**
     * Every key but the feed (whose entries a staged transaction appends in no set order) and its
     * random epoch, with its serialized value.
     */
    private Map<String, String> dumpWithoutFeed() {
        Map<String, String> dump = dump();
        dump.remove(ReadModelKeys.FEED);
        dump.remove(ReadModelKeys.FEED_EPOCH);
        return dump;
    }
}
