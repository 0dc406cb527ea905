package io.orderly.cdc.kafka;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.orderly.cdc.assembly.Row;
import io.orderly.cdc.assembly.RowChange;
import io.orderly.cdc.assembly.SourceTransaction;
import io.orderly.cdc.assembly.TransactionPart;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class TransactionReassemblerTests {

    private static final TopicPartition TRANSACTIONS = new TopicPartition("orderly.transaction", 0);
    private static final TopicPartition CUSTOMERS_0 = new TopicPartition("orderly.public.customers", 0);
    private static final TopicPartition CUSTOMERS_1 = new TopicPartition("orderly.public.customers", 1);
    private static final TopicPartition ORDERS = new TopicPartition("orderly.public.orders", 0);

    /** A threshold no transaction of the tests that do not stage reaches. */
    private static final int UNREACHED = 10_000;

    private final TransactionReassembler reassembler = new TransactionReassembler(List.of("customers", "orders"), 0, 0, UNREACHED);

    @Test
    void releasesATransactionOnceRowsOnEitherSideOfItsEndHaveAllArrived() {
        reassembler.accept(CUSTOMERS_1, 7, Events.row("customers", "c-2", 100, 1000, 2));
        reassembler.accept(TRANSACTIONS, 3, Events.end(100, 1000, Map.of("public.customers", 2L, "public.orders", 1L)));
        reassembler.accept(ORDERS, 4, Events.row("orders", "o-1", 100, 1000, 3));
        assertThat(reassembler.release()).isEmpty();

        reassembler.accept(CUSTOMERS_0, 9, Events.row("customers", "c-1", 100, 1000, 1));

        assertThat(reassembler.release()).singleElement().satisfies(transaction -> {
            assertThat(transaction.txId()).isEqualTo(100);
            assertThat(transaction.position()).isEqualTo(1000);
            assertThat(transaction.snapshot()).isFalse();
            assertThat(transaction.changes()).extracting(change -> change.row().string("id")).containsExactly("c-1", "c-2", "o-1");
        });
        assertThat(reassembler.waiting()).isFalse();
    }

    @Test
    void releasesInCommitOrderWhenALaterTransactionIsCompleteFirst() {
        reassembler.accept(TRANSACTIONS, 0, Events.end(100, 1000, Map.of("public.customers", 1L)));
        reassembler.accept(TRANSACTIONS, 1, Events.end(101, 2000, Map.of("public.orders", 1L)));
        reassembler.accept(ORDERS, 0, Events.row("orders", "o-1", 101, 2000, 1));
        assertThat(reassembler.release()).isEmpty();

        reassembler.accept(CUSTOMERS_0, 0, Events.row("customers", "c-1", 100, 1000, 1));

        assertThat(reassembler.release()).extracting(SourceTransaction::txId).containsExactly(100L, 101L);
    }

    @Test
    void waitsOnlyForTheRowsOfTheTablesItFollows() {
        reassembler.accept(TRANSACTIONS, 0, Events.end(100, 1000, Map.of("public.customers", 1L, "public.audit_log", 5L)));
        reassembler.accept(CUSTOMERS_0, 0, Events.row("customers", "c-1", 100, 1000, 1));

        assertThat(reassembler.release()).singleElement().extracting(transaction -> transaction.changes().size()).isEqualTo(1);
    }

    @Test
    void releasesATransactionWithoutFollowedRowsSoThatTheWatermarkMoves() {
        reassembler.accept(TRANSACTIONS, 0, Events.end(100, 1000, Map.of("public.audit_log", 1L)));

        assertThat(reassembler.release()).singleElement().satisfies(transaction -> {
            assertThat(transaction.position()).isEqualTo(1000);
            assertThat(transaction.changes()).isEmpty();
        });
    }

    @Test
    void countsARecordKafkaHoldsTwiceOnce() {
        reassembler.accept(TRANSACTIONS, 0, Events.end(100, 1000, Map.of("public.customers", 2L)));
        reassembler.accept(TRANSACTIONS, 1, Events.end(100, 1000, Map.of("public.customers", 2L)));
        reassembler.accept(CUSTOMERS_0, 0, Events.row("customers", "c-1", 100, 1000, 1));
        reassembler.accept(CUSTOMERS_0, 1, Events.row("customers", "c-1", 100, 1000, 1));
        assertThat(reassembler.release()).isEmpty();

        reassembler.accept(CUSTOMERS_0, 2, Events.row("customers", "c-2", 100, 1000, 2));
        assertThat(reassembler.release()).singleElement().extracting(transaction -> transaction.changes().size()).isEqualTo(2);

        reassembler.accept(CUSTOMERS_0, 3, Events.row("customers", "c-2", 100, 1000, 2));
        reassembler.accept(TRANSACTIONS, 2, Events.end(100, 1000, Map.of("public.customers", 2L)));
        assertThat(reassembler.release()).isEmpty();
        assertThat(reassembler.waiting()).isFalse();
    }

    @Test
    void skipsWhatTheReadModelsAlreadyApplied() {
        TransactionReassembler resumed = new TransactionReassembler(List.of("customers"), 1000, 0, UNREACHED);
        resumed.accept(CUSTOMERS_0, 0, Events.row("customers", "c-1", 100, 1000, 1));
        resumed.accept(TRANSACTIONS, 0, Events.end(100, 1000, Map.of("public.customers", 1L)));

        resumed.accept(CUSTOMERS_0, 1, Events.row("customers", "c-2", 100, 1000, 2));

        assertThat(resumed.release()).isEmpty();
        assertThat(resumed.waiting()).isFalse();
    }

    @Test
    void resumesEachPartitionAtItsFirstRecordNotYetReleased() {
        reassembler.accept(TRANSACTIONS, 10, Events.end(100, 1000, Map.of("public.customers", 1L)));
        reassembler.accept(CUSTOMERS_0, 20, Events.row("customers", "c-1", 100, 1000, 1));
        reassembler.accept(TRANSACTIONS, 11, Events.end(101, 2000, Map.of("public.customers", 1L, "public.orders", 1L)));
        reassembler.accept(CUSTOMERS_0, 21, Events.row("customers", "c-2", 101, 2000, 1));
        assertThat(reassembler.release()).extracting(SourceTransaction::txId).containsExactly(100L);

        Map<TopicPartition, Long> resume = reassembler.resumeOffsets(Map.of(TRANSACTIONS, 12L, CUSTOMERS_0, 22L, ORDERS, 5L));

        assertThat(resume).containsExactlyInAnyOrderEntriesOf(Map.of(TRANSACTIONS, 11L, CUSTOMERS_0, 21L, ORDERS, 5L));
    }

    @Test
    void releasesSnapshotRowsAsAChunkBeforeTransactionsCompletedAfterThem() {
        reassembler.accept(TRANSACTIONS, 0, Events.end(100, 1000, Map.of("public.customers", 1L)));
        reassembler.accept(CUSTOMERS_0, 0, Events.snapshotRow("customers", "c-1", 500, "true"));
        reassembler.accept(ORDERS, 0, Events.snapshotRow("orders", "o-1", 500, "last"));
        reassembler.accept(CUSTOMERS_0, 1, Events.row("customers", "c-1", 100, 1000, 1));

        List<SourceTransaction> released = reassembler.release();

        assertThat(released).extracting(SourceTransaction::snapshot).containsExactly(true, false);
        assertThat(released.get(0).completesSnapshot()).isTrue();
        assertThat(released.get(0).position()).isEqualTo(500);
        assertThat(released.get(0).changes()).containsExactly(
                new RowChange.Inserted("customers", new Row(Map.of("id", "c-1"))),
                new RowChange.Inserted("orders", new Row(Map.of("id", "o-1"))));
    }

    @Test
    void refusesRowsWithoutTransactionMetadata() {
        assertThatIllegalStateException()
                .isThrownBy(() -> reassembler.accept(CUSTOMERS_0, 0, Events.rowWithoutTransaction("customers", "c-1")))
                .withMessageContaining("provide.transaction.metadata=true");
    }

    @Test
    void stagesATransactionAboveTheThresholdInPartsInTotalOrderFromRowsOfTwoPartitions() {
        TransactionReassembler staging = new TransactionReassembler(List.of("customers"), 0, 0, 3);
        staging.accept(TRANSACTIONS, 0, Events.begin(99, 400));
        staging.accept(TRANSACTIONS, 1, Events.end(99, 500, Map.of("public.customers", 1L)));
        staging.accept(CUSTOMERS_0, 0, Events.row("customers", "before", 99, 500, 1));
        staging.accept(TRANSACTIONS, 2, Events.begin(100, 600));
        staging.accept(CUSTOMERS_1, 0, Events.row("customers", "c-2", 100, 1000, 2));
        staging.accept(CUSTOMERS_0, 1, Events.row("customers", "c-1", 100, 1000, 1));
        staging.accept(CUSTOMERS_0, 2, Events.row("customers", "c-3", 100, 1000, 3));

        assertThat(staging.release()).extracting(SourceTransaction::txId).containsExactly(99L);
        assertThat(staging.nextPart()).hasValueSatisfying(part -> {
            assertThat(part.txId()).isEqualTo(100);
            assertThat(ids(part.changes())).containsExactly("c-1", "c-2", "c-3");
        });
        assertThat(staging.nextPart()).isEmpty();

        staging.accept(CUSTOMERS_1, 1, Events.row("customers", "c-4", 100, 1000, 4));
        staging.accept(CUSTOMERS_1, 2, Events.row("customers", "c-6", 100, 1000, 6));
        staging.accept(CUSTOMERS_0, 1, Events.row("customers", "c-1", 100, 1000, 1));
        staging.accept(CUSTOMERS_0, 3, Events.row("customers", "c-5", 100, 1000, 5));
        staging.accept(TRANSACTIONS, 3, Events.end(100, 1000, Map.of("public.customers", 7L)));
        assertThat(staging.release()).isEmpty();
        assertThat(staging.nextPart()).hasValueSatisfying(part -> assertThat(ids(part.changes())).containsExactly("c-4", "c-5", "c-6"));
        assertThat(staging.release()).isEmpty();

        staging.accept(CUSTOMERS_0, 4, Events.row("customers", "c-7", 100, 1000, 7));

        assertThat(staging.release()).singleElement().satisfies(transaction -> {
            assertThat(transaction.position()).isEqualTo(1000);
            assertThat(transaction.stagedChanges()).isEqualTo(6);
            assertThat(ids(transaction.changes())).containsExactly("c-7");
        });
        assertThat(staging.nextPart()).isEmpty();
        assertThat(staging.waiting()).isFalse();
    }

    @Test
    void stagesNothingOfATransactionUntilEveryTransactionBeforeItIsReleased() {
        TransactionReassembler staging = new TransactionReassembler(List.of("customers"), 0, 0, 2);
        staging.accept(TRANSACTIONS, 0, Events.begin(99, 400));
        staging.accept(TRANSACTIONS, 1, Events.end(99, 500, Map.of("public.customers", 1L)));
        staging.accept(CUSTOMERS_1, 0, Events.row("customers", "c-1", 100, 1000, 1));
        staging.accept(CUSTOMERS_1, 1, Events.row("customers", "c-2", 100, 1000, 2));
        staging.accept(TRANSACTIONS, 2, Events.begin(100, 600));

        assertThat(staging.release()).isEmpty();
        assertThat(staging.nextPart()).isEmpty();

        staging.accept(CUSTOMERS_0, 0, Events.row("customers", "before", 99, 500, 1));
        assertThat(staging.release()).extracting(SourceTransaction::txId).containsExactly(99L);
        assertThat(staging.nextPart()).hasValueSatisfying(part -> assertThat(ids(part.changes())).containsExactly("c-1", "c-2"));
    }

    @Test
    void holdsNoMoreThanTheThresholdBeyondTheStagedRunBeforePausingThePartitionsThatRanAhead() {
        TransactionReassembler staging = new TransactionReassembler(List.of("customers", "orders"), 0, 0, 3);
        staging.accept(TRANSACTIONS, 0, Events.begin(100, 600));
        for (long place = 2; place <= 5; place++) {
            staging.accept(CUSTOMERS_1, place, Events.row("customers", "c-" + place, 100, 1000, place));
        }
        // Held beyond the run, which waits for place 1: four rows, one more than the threshold.
        assertThat(staging.ahead()).containsExactly(CUSTOMERS_1);

        staging.accept(CUSTOMERS_0, 0, Events.row("customers", "c-1", 100, 1000, 1));
        assertThat(staging.ahead()).isEmpty();
        assertThat(staging.nextPart()).hasValueSatisfying(part -> assertThat(ids(part.changes())).containsExactly("c-1", "c-2", "c-3"));

        // A later transaction's rows count too, and the partition that brings the awaited row reads on.
        for (long place = 1; place <= 4; place++) {
            staging.accept(ORDERS, place, Events.row("orders", "o-" + place, 101, 2000, place));
        }
        staging.accept(CUSTOMERS_1, 7, Events.row("customers", "c-7", 100, 1000, 7));
        assertThat(staging.ahead()).containsExactlyInAnyOrder(ORDERS, CUSTOMERS_1);

        staging.accept(CUSTOMERS_0, 1, Events.row("customers", "c-6", 100, 1000, 6));
        assertThat(staging.nextPart()).hasValueSatisfying(part -> assertThat(ids(part.changes())).containsExactly("c-4", "c-5", "c-6"));
        assertThat(staging.ahead()).as("the run now reaches place 7").containsExactly(ORDERS);
        staging.accept(TRANSACTIONS, 1, Events.end(100, 1000, Map.of("public.customers", 7L)));
        assertThat(staging.release()).singleElement().extracting(SourceTransaction::stagedChanges).isEqualTo(6L);
        assertThat(staging.ahead()).containsExactly(ORDERS);

        staging.accept(TRANSACTIONS, 2, Events.begin(101, 1500));
        assertThat(staging.ahead()).isEmpty();
        assertThat(staging.nextPart()).hasValueSatisfying(part -> assertThat(ids(part.changes())).containsExactly("o-1", "o-2", "o-3"));
    }

    @Test
    void holdsABoundedNumberOfRowsOfATransactionWhoseSecondHalfIsReadFirst() {
        int threshold = 50;
        int perPoll = 10;
        TransactionReassembler staging = new TransactionReassembler(List.of("customers", "orders"), 0, 0, threshold);
        // Transaction 100: places 1 to 1000 on partition 0, 1001 to 2000 on partition 1; then
        // transaction 101, 500 rows on the orders topic. The consumer reads first what runs ahead, unless paused.
        Map<TopicPartition, Deque<Struct>> records = new LinkedHashMap<>();
        records.put(ORDERS, new ArrayDeque<>());
        records.put(CUSTOMERS_1, new ArrayDeque<>());
        records.put(CUSTOMERS_0, new ArrayDeque<>());
        for (long place = 1; place <= 2000; place++) {
            records.get(place <= 1000 ? CUSTOMERS_0 : CUSTOMERS_1).add(Events.row("customers", "c-" + place, 100, 1000, place));
        }
        for (long place = 1; place <= 500; place++) {
            records.get(ORDERS).add(Events.row("orders", "o-" + place, 101, 2000, place));
        }
        staging.accept(TRANSACTIONS, 0, Events.begin(100, 600));
        staging.accept(TRANSACTIONS, 1, Events.end(100, 1000, Map.of("public.customers", 2000L)));
        staging.accept(TRANSACTIONS, 2, Events.begin(101, 1500));
        staging.accept(TRANSACTIONS, 3, Events.end(101, 2000, Map.of("public.orders", 500L)));
        Set<TopicPartition> paused = Set.of();
        long read = 0;
        long handedOut = 0;
        long mostHeld = 0;
        List<Long> staged = new ArrayList<>();
        while (records.values().stream().anyMatch(queue -> !queue.isEmpty())) {
            int polled = 0;
            for (Map.Entry<TopicPartition, Deque<Struct>> partition : records.entrySet()) {
                while (polled < perPoll && !paused.contains(partition.getKey()) && !partition.getValue().isEmpty()) {
                    staging.accept(partition.getKey(), read++, partition.getValue().poll());
                    polled++;
                }
            }
            assertThat(polled).as("some partition reads on").isPositive();
            for (boolean more = true; more;) {
                for (SourceTransaction transaction : staging.release()) {
                    handedOut += transaction.changes().size();
                    staged.add(transaction.stagedChanges());
                }
                Optional<TransactionPart> part = staging.nextPart();
                part.ifPresent(taken -> assertThat(taken.changes()).hasSize(threshold));
                handedOut += part.map(taken -> taken.changes().size()).orElse(0);
                more = part.isPresent();
            }
            mostHeld = Math.max(mostHeld, read - handedOut);
            paused = staging.ahead();
        }

        assertThat(handedOut).isEqualTo(2500);
        assertThat(staged).containsExactly(2000L, 500L);
        assertThat(mostHeld).isLessThanOrEqualTo(2L * threshold + 3L * perPoll);
        assertThat(staging.waiting()).isFalse();
    }

    @Test
    void pausesNothingForATransactionWithRowsOfTablesNotRead() {
        TransactionReassembler staging = new TransactionReassembler(List.of("customers"), 0, 0, 2);
        staging.accept(TRANSACTIONS, 0, Events.begin(100, 600));
        staging.accept(TRANSACTIONS, 1, Events.end(100, 1000, Map.of("public.customers", 4L, "public.audit_log", 1L)));
        for (long place = 2; place <= 5; place++) {
            staging.accept(CUSTOMERS_1, place, Events.row("customers", "c-" + place, 100, 1000, place));
        }

        assertThat(staging.ahead()).isEmpty();
        assertThat(staging.nextPart()).isEmpty();
        assertThat(staging.release()).singleElement().extracting(transaction -> transaction.changes().size()).isEqualTo(4);
    }

    @Test
    void pausesTheTransactionTopicOnceTooManyEndsWaitForTheirRows() {
        for (int tx = 1; tx <= ReadAhead.ENDS_HELD; tx++) {
            reassembler.accept(TRANSACTIONS, tx, Events.end(tx, tx * 10L, Map.of("public.customers", 1L)));
        }
        assertThat(reassembler.ahead()).isEmpty();

        reassembler.accept(TRANSACTIONS, 0, Events.end(ReadAhead.ENDS_HELD + 1, Long.MAX_VALUE, Map.of("public.customers", 1L)));
        assertThat(reassembler.ahead()).containsExactly(TRANSACTIONS);

        reassembler.accept(CUSTOMERS_0, 0, Events.row("customers", "c-1", 1, 10, 1));
        assertThat(reassembler.release()).hasSize(1);
        assertThat(reassembler.ahead()).isEmpty();
    }

    @Test
    void resumesEachPartitionOfAStagedTransactionAtItsFirstRow() {
        TransactionReassembler staging = new TransactionReassembler(List.of("customers"), 0, 0, 3);
        staging.accept(TRANSACTIONS, 10, Events.begin(100, 600));
        staging.accept(CUSTOMERS_0, 20, Events.row("customers", "c-1", 100, 1000, 1));
        staging.accept(CUSTOMERS_1, 30, Events.row("customers", "c-2", 100, 1000, 2));
        staging.accept(CUSTOMERS_0, 21, Events.row("customers", "c-3", 100, 1000, 3));
        staging.accept(CUSTOMERS_1, 31, Events.row("customers", "c-4", 100, 1000, 4));
        assertThat(staging.nextPart()).isPresent();

        Map<TopicPartition, Long> resume = staging.resumeOffsets(Map.of(TRANSACTIONS, 11L, CUSTOMERS_0, 22L, CUSTOMERS_1, 32L));

        assertThat(resume).containsExactlyInAnyOrderEntriesOf(Map.of(TRANSACTIONS, 10L, CUSTOMERS_0, 20L, CUSTOMERS_1, 30L));
    }

    @Test
    void skipsAStagedTransactionTheReadModelsAlreadyApplied() {
        TransactionReassembler resumed = new TransactionReassembler(List.of("customers"), 1000, 0, 2);
        resumed.accept(TRANSACTIONS, 0, Events.begin(100, 600));
        resumed.accept(CUSTOMERS_0, 0, Events.row("customers", "c-1", 100, 1000, 1));
        resumed.accept(CUSTOMERS_0, 1, Events.row("customers", "c-2", 100, 1000, 2));
        assertThat(resumed.nextPart()).isPresent();

        resumed.accept(TRANSACTIONS, 1, Events.end(100, 1000, Map.of("public.customers", 3L)));
        resumed.accept(CUSTOMERS_0, 2, Events.row("customers", "c-3", 100, 1000, 3));

        assertThat(resumed.release()).isEmpty();
        assertThat(resumed.nextPart()).isEmpty();
        assertThat(resumed.waiting()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void aStagedTransactionWrittenAgainAfterAnAppliedOneGoesOnFromWhatItStagedWithTheReplayNotStaged(boolean lastCommits) {
        // After a restart (the watermark at 99's commit, 500): the connector wrote 100's first rows,
        // then, restarted from an older offset, 99 again (three rows: enough for a part) and 100 whole.
        // The replay is dropped by its rows when they name the commit before theirs, else held until its END.
        TransactionReassembler staging = new TransactionReassembler(List.of("customers"), 500, 500, 2);
        long before100 = lastCommits ? 500 : 0;
        long before99 = lastCommits ? 400 : 0;
        staging.accept(TRANSACTIONS, 0, Events.begin(100, 600));
        staging.accept(CUSTOMERS_0, 0, Events.row("customers", "c-1", 100, 1000, 1, before100));
        staging.accept(CUSTOMERS_0, 1, Events.row("customers", "c-2", 100, 1000, 2, before100));
        staging.accept(CUSTOMERS_0, 2, Events.row("customers", "c-3", 100, 1000, 3, before100));
        assertThat(staging.nextPart()).hasValueSatisfying(part -> {
            assertThat(part.first()).isTrue();
            assertThat(ids(part.changes())).containsExactly("c-1", "c-2");
        });

        // The table partition is read ahead of the transaction topic: the replay's rows come before its BEGIN.
        staging.accept(CUSTOMERS_0, 3, Events.row("customers", "old-1", 99, 500, 1, before99));
        staging.accept(CUSTOMERS_0, 4, Events.row("customers", "old-2", 99, 500, 2, before99));
        staging.accept(CUSTOMERS_0, 5, Events.row("customers", "old-3", 99, 500, 3, before99));
        staging.accept(CUSTOMERS_0, 6, Events.row("customers", "c-1", 100, 1000, 1, before100));
        staging.accept(CUSTOMERS_0, 7, Events.row("customers", "c-2", 100, 1000, 2, before100));
        staging.accept(CUSTOMERS_0, 8, Events.row("customers", "c-3", 100, 1000, 3, before100));
        staging.accept(TRANSACTIONS, 1, Events.begin(99, 400));
        assertThat(staging.release()).isEmpty();
        assertThat(staging.nextPart()).as("99 is not staged while 100's staging waits for its END").isEmpty();
        assertThat(staging.resumeOffsets(Map.of(TRANSACTIONS, 2L, CUSTOMERS_0, 9L)))
                .as("100 is read again from its first row after a crash").containsEntry(CUSTOMERS_0, 0L);

        if (!lastCommits) {
            // Dropped by its rows, the replay needs no END: with last commits none is read (as if an earlier consumer had).
            staging.accept(TRANSACTIONS, 2, Events.end(99, 500, Map.of("public.customers", 3L)));
        }
        assertThat(staging.resumeOffsets(Map.of(TRANSACTIONS, 3L, CUSTOMERS_0, 9L)))
                .as("a new consumer reads 100's first BEGIN again, before the replay's rows it reads again")
                .containsExactlyInAnyOrderEntriesOf(Map.of(TRANSACTIONS, 0L, CUSTOMERS_0, 0L));
        staging.accept(TRANSACTIONS, 3, Events.begin(100, 600));
        staging.accept(TRANSACTIONS, 4, Events.end(100, 1000, Map.of("public.customers", 3L)));

        assertThat(staging.release()).singleElement().satisfies(transaction -> {
            assertThat(transaction.txId()).isEqualTo(100);
            assertThat(transaction.stagedChanges()).isEqualTo(2);
            assertThat(ids(transaction.changes())).containsExactly("c-3");
        });
        assertThat(staging.nextPart()).isEmpty();
        assertThat(staging.waiting()).as("nothing of the replay is held").isFalse();
    }

    @Test
    void aConsumerRestartedFromTheOffsetsStoredDuringSuchAReplayDropsTheReplayAndAppliesTheStagedTransactionOnce() {
        // The records of the test above, read again from offset 0 of both partitions by a new
        // reassembler, the table partition ahead of the transaction topic.
        TransactionReassembler restarted = new TransactionReassembler(List.of("customers"), 500, 0, 2);
        List<TransactionPart> parts = new ArrayList<>();
        List<SourceTransaction> released = new ArrayList<>();
        Runnable deliver = () -> {
            while (true) {
                released.addAll(restarted.release());
                Optional<TransactionPart> part = restarted.nextPart();
                if (part.isEmpty()) {
                    return;
                }
                parts.add(part.get());
            }
        };
        List<String> ids = List.of("c-1", "c-2", "c-3", "old-1", "old-2", "old-3", "c-1", "c-2", "c-3");
        for (int offset = 0; offset < 6; offset++) {
            long txId = offset < 3 ? 100 : 99;
            restarted.accept(CUSTOMERS_0, offset, Events.row("customers", ids.get(offset), txId, txId == 100 ? 1000 : 500, offset % 3 + 1));
        }
        restarted.accept(TRANSACTIONS, 0, Events.begin(100, 600));
        deliver.run();
        restarted.accept(TRANSACTIONS, 1, Events.begin(99, 400));
        restarted.accept(TRANSACTIONS, 2, Events.end(99, 500, Map.of("public.customers", 3L)));
        deliver.run();
        assertThat(restarted.ahead()).as("nothing paused: the replay's rows were dropped at its END").isEmpty();
        for (int offset = 6; offset < 9; offset++) {
            restarted.accept(CUSTOMERS_0, offset, Events.row("customers", ids.get(offset), 100, 1000, offset % 3 + 1));
        }
        restarted.accept(TRANSACTIONS, 3, Events.begin(100, 600));
        restarted.accept(TRANSACTIONS, 4, Events.end(100, 1000, Map.of("public.customers", 3L)));
        deliver.run();

        assertThat(parts).singleElement().satisfies(part -> assertThat(ids(part.changes())).containsExactly("c-1", "c-2"));
        assertThat(released).singleElement().satisfies(transaction -> {
            assertThat(transaction.txId()).isEqualTo(100);
            assertThat(transaction.stagedChanges()).isEqualTo(2);
            assertThat(ids(transaction.changes())).containsExactly("c-3");
        });
        assertThat(restarted.waiting()).isFalse();
    }

    @Test
    void aReplayWhoseEndWasReadBeforeARestartIsDroppedByItsRowsAndTheStreamGoesOn() {
        // Applied up to 101 (commit 2000). The connector, restarted from an older offset, wrote 100
        // (5 rows, more than the threshold) and 101 again; the projector read their ENDs, then
        // restarted: the new consumer reads the transaction topic past them, and the rows again.
        TransactionReassembler restarted = new TransactionReassembler(List.of("customers", "orders"), 2000, 2000, 2);
        for (long place = 1; place <= 5; place++) {
            restarted.accept(CUSTOMERS_0, place - 1, Events.row("customers", "old-" + place, 100, 1000, place, 500));
        }
        restarted.accept(ORDERS, 0, Events.row("orders", "old-o", 101, 2000, 1, 1000));
        assertThat(restarted.release()).isEmpty();
        assertThat(restarted.nextPart()).as("nothing of the replay is staged").isEmpty();
        assertThat(restarted.ahead()).isEmpty();
        assertThat(restarted.waiting()).isFalse();
        assertThat(restarted.resumeOffsets(Map.of(TRANSACTIONS, 7L, CUSTOMERS_0, 5L, ORDERS, 1L)))
                .as("every partition reads on past the replay")
                .containsExactlyInAnyOrderEntriesOf(Map.of(TRANSACTIONS, 7L, CUSTOMERS_0, 5L, ORDERS, 1L));

        // The next transaction, larger than the threshold too, is staged and applied as usual.
        restarted.accept(TRANSACTIONS, 7, Events.begin(102, 2100));
        for (long place = 1; place <= 3; place++) {
            restarted.accept(CUSTOMERS_0, 4 + place, Events.row("customers", "c-" + place, 102, 3000, place, 2000));
        }
        assertThat(restarted.release()).isEmpty();
        assertThat(restarted.nextPart()).hasValueSatisfying(part -> assertThat(ids(part.changes())).containsExactly("c-1", "c-2"));
        restarted.accept(TRANSACTIONS, 8, Events.end(102, 3000, Map.of("public.customers", 3L)));

        assertThat(restarted.release()).singleElement().satisfies(transaction -> {
            assertThat(transaction.txId()).isEqualTo(102);
            assertThat(transaction.stagedChanges()).isEqualTo(2);
            assertThat(ids(transaction.changes())).containsExactly("c-3");
        });
        assertThat(restarted.waiting()).isFalse();
        assertThat(restarted.appliedCommit()).isEqualTo(3000);
    }

    @Test
    void rightAfterASnapshotATransactionNamingACommitBelowItsPositionWaitsForItsEnd() {
        // The watermark is the snapshot's position, 5000, not a commit; no commit is known.
        TransactionReassembler afterSnapshot = new TransactionReassembler(List.of("customers"), 5000, 0, UNREACHED);
        afterSnapshot.accept(CUSTOMERS_0, 0, Events.row("customers", "c-1", 200, 6000, 1, 4000));
        assertThat(afterSnapshot.release()).isEmpty();
        assertThat(afterSnapshot.resumeOffsets(Map.of(CUSTOMERS_0, 1L))).containsEntry(CUSTOMERS_0, 0L);

        afterSnapshot.accept(TRANSACTIONS, 0, Events.end(200, 6000, Map.of("public.customers", 1L)));
        assertThat(afterSnapshot.release()).singleElement().satisfies(transaction -> {
            assertThat(transaction.txId()).isEqualTo(200);
            assertThat(ids(transaction.changes())).containsExactly("c-1");
        });

        // Its commit is known now: a row of the transaction after it waits, one of an earlier one is dropped.
        assertThat(afterSnapshot.appliedCommit()).isEqualTo(6000);
        afterSnapshot.accept(CUSTOMERS_0, 1, Events.row("customers", "c-2", 201, 7000, 1, 6000));
        afterSnapshot.accept(CUSTOMERS_0, 2, Events.row("customers", "old", 199, 4500, 1, 3000));
        assertThat(afterSnapshot.resumeOffsets(Map.of(CUSTOMERS_0, 3L))).containsEntry(CUSTOMERS_0, 1L);
        afterSnapshot.accept(TRANSACTIONS, 1, Events.end(201, 7000, Map.of("public.customers", 1L)));
        assertThat(afterSnapshot.release()).extracting(SourceTransaction::txId).containsExactly(201L);
        assertThat(afterSnapshot.waiting()).isFalse();
    }

    @Test
    void anEndReadAgainAtOrBelowTheWatermarkMakesItsCommitKnownAndRowsOfEarlierTransactionsAreDropped() {
        // Right after a snapshot at 5000 no commit is known, until an END at or below it is read again.
        TransactionReassembler afterSnapshot = new TransactionReassembler(List.of("customers"), 5000, 0, UNREACHED);
        afterSnapshot.accept(TRANSACTIONS, 0, Events.end(150, 4000, Map.of("public.customers", 1L)));
        assertThat(afterSnapshot.appliedCommit()).isEqualTo(4000);
        afterSnapshot.accept(TRANSACTIONS, 1, Events.end(149, 3000, Map.of("public.customers", 1L)));
        assertThat(afterSnapshot.appliedCommit()).as("never lowered").isEqualTo(4000);

        afterSnapshot.accept(CUSTOMERS_0, 0, Events.row("customers", "earlier", 148, 2000, 1, 1000));
        assertThat(afterSnapshot.waiting()).isFalse();
        assertThat(afterSnapshot.resumeOffsets(Map.of(CUSTOMERS_0, 1L))).containsEntry(CUSTOMERS_0, 1L);

        afterSnapshot.accept(CUSTOMERS_0, 1, Events.row("customers", "after", 151, 6000, 1, 4000));
        assertThat(afterSnapshot.resumeOffsets(Map.of(CUSTOMERS_0, 2L))).as("a row naming that commit waits").containsEntry(CUSTOMERS_0, 1L);
    }

    @Test
    void aStoredCommitAboveTheWatermarkIsNotTakenForApplied() {
        TransactionReassembler resumed = new TransactionReassembler(List.of("customers"), 5000, 6000, UNREACHED);
        resumed.accept(CUSTOMERS_0, 0, Events.row("customers", "c-1", 200, 7000, 1, 5500));
        resumed.accept(TRANSACTIONS, 0, Events.end(200, 7000, Map.of("public.customers", 1L)));

        assertThat(resumed.release()).extracting(SourceTransaction::txId).containsExactly(200L);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"[null,\"600\"]", "[\"0/5DC\",\"600\"]", "[\"0\",\"600\"]", "[\"1000\",null]", "[\"1000\"]"})
    void aRowWithoutAReadableLastCommitAndPositionWaitsForItsEnd(String sequence) {
        TransactionReassembler resumed = new TransactionReassembler(List.of("customers"), 2000, 2000, UNREACHED);
        resumed.accept(CUSTOMERS_0, 0, Events.rowWithSequence("customers", "c-1", 100, 1000, 1, sequence));
        assertThat(resumed.waiting()).isTrue();
        assertThat(resumed.resumeOffsets(Map.of(CUSTOMERS_0, 1L))).containsEntry(CUSTOMERS_0, 0L);

        resumed.accept(TRANSACTIONS, 0, Events.end(100, 1000, Map.of("public.customers", 1L)));

        assertThat(resumed.release()).isEmpty();
        assertThat(resumed.waiting()).isFalse();
    }

    @Test
    void theRowsOfTheStagedTransactionAreNeverDroppedByTheirLastCommit() {
        TransactionReassembler staging = new TransactionReassembler(List.of("customers"), 500, 500, 2);
        staging.accept(TRANSACTIONS, 0, Events.begin(100, 420));
        staging.accept(CUSTOMERS_0, 0, Events.rowWithSequence("customers", "c-1", 100, 1000, 1, "[\"500\",\"430\"]"));
        staging.accept(CUSTOMERS_0, 1, Events.rowWithSequence("customers", "c-2", 100, 1000, 2, "[\"500\",\"440\"]"));
        assertThat(staging.nextPart()).isPresent();

        // A last commit and a position below the applied commit would call it applied: the staging goes on, and its END decides.
        staging.accept(CUSTOMERS_0, 2, Events.rowWithSequence("customers", "c-3", 100, 1000, 3, "[\"400\",\"450\"]"));
        staging.accept(TRANSACTIONS, 1, Events.end(100, 1000, Map.of("public.customers", 3L)));

        assertThat(staging.release()).singleElement().satisfies(transaction -> {
            assertThat(transaction.stagedChanges()).isEqualTo(2);
            assertThat(ids(transaction.changes())).containsExactly("c-3");
        });
        assertThat(staging.waiting()).isFalse();
    }

    @Test
    void aRowWhoseEndWasReadAboveWhatWasReleasedIsKeptWhateverItsLastCommitSays() {
        TransactionReassembler resumed = new TransactionReassembler(List.of("customers"), 2000, 2000, UNREACHED);
        resumed.accept(TRANSACTIONS, 0, Events.end(300, 3000, Map.of("public.customers", 1L)));
        resumed.accept(CUSTOMERS_0, 0, Events.rowWithSequence("customers", "c-1", 300, 3000, 1, "[\"1000\",\"1500\"]"));

        assertThat(resumed.release()).extracting(SourceTransaction::txId).containsExactly(300L);
    }

    /**
     * Rows of a transaction not applied, whose last commit and position are not both below the
     * applied commit, 2000. {@code ["2000","1500"]}: as in normal concurrent operation, 300 began
     * before 200 committed at 2000, 200 was applied, and a row 300 wrote before 2000 arrives late,
     * naming 2000, the commit streamed before 300's. The others: as after a slot created again under
     * offsets kept, the first transaction streamed names a stale last commit, but every change it
     * streams is at or after the applied commit.
     */
    @ParameterizedTest
    @ValueSource(strings = {"[\"2000\",\"1500\"]", "[\"1000\",\"2000\"]", "[\"1000\",\"2600\"]"})
    void aRowNotBothNamingAndWrittenBeforeTheAppliedCommitIsKeptAndAppliedAtItsEnd(String sequence) {
        TransactionReassembler resumed = new TransactionReassembler(List.of("customers"), 2000, 2000, UNREACHED);
        resumed.accept(CUSTOMERS_0, 0, Events.rowWithSequence("customers", "c-1", 300, 3000, 1, sequence));
        assertThat(resumed.resumeOffsets(Map.of(CUSTOMERS_0, 1L))).containsEntry(CUSTOMERS_0, 0L);

        resumed.accept(TRANSACTIONS, 0, Events.end(300, 3000, Map.of("public.customers", 1L)));

        assertThat(resumed.release()).singleElement().satisfies(transaction -> {
            assertThat(transaction.txId()).isEqualTo(300);
            assertThat(ids(transaction.changes())).containsExactly("c-1");
        });
        assertThat(resumed.waiting()).isFalse();
    }

    @Test
    void failsRatherThanStallsWhenAnEndAboveWhatWasReleasedFollowsRowsDroppedAsApplied() {
        // Offsets moved behind the slot: a transaction that began before the applied commit names a stale last commit.
        TransactionReassembler resumed = new TransactionReassembler(List.of("customers"), 2000, 2000, UNREACHED);
        resumed.accept(CUSTOMERS_0, 0, Events.rowWithSequence("customers", "c-1", 300, 3000, 1, "[\"1000\",\"1500\"]"));
        assertThat(resumed.waiting()).as("dropped as applied").isFalse();

        assertThatIllegalStateException()
                .isThrownBy(() -> resumed.accept(TRANSACTIONS, 0, Events.end(300, 3000, Map.of("public.customers", 1L))))
                .withMessageContaining("source.sequence");
    }

    private static List<String> ids(List<RowChange> changes) {
        return changes.stream().map(change -> change.row().string("id")).toList();
    }

    /** Values shaped like those Debezium's PostgreSQL connector writes with transaction metadata. */
    private static final class Events {

        private static final Instant CHANGED_AT = Instant.parse("2026-01-02T03:04:05Z");

        private static final Schema ROW = SchemaBuilder.struct().optional().field("id", Schema.STRING_SCHEMA).build();

        private static final Schema SOURCE = SchemaBuilder.struct()
                .field("table", Schema.STRING_SCHEMA)
                .field("txId", Schema.INT64_SCHEMA)
                .field("lsn", Schema.INT64_SCHEMA)
                .field("ts_ms", Schema.INT64_SCHEMA)
                .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA)
                .field("sequence", Schema.OPTIONAL_STRING_SCHEMA)
                .build();

        private static final Schema BLOCK = SchemaBuilder.struct().optional()
                .field("id", Schema.STRING_SCHEMA)
                .field("total_order", Schema.INT64_SCHEMA)
                .field("data_collection_order", Schema.INT64_SCHEMA)
                .build();

        private static final Schema ENVELOPE = SchemaBuilder.struct()
                .field("op", Schema.STRING_SCHEMA)
                .field("before", ROW)
                .field("after", ROW)
                .field("source", SOURCE)
                .field("transaction", BLOCK)
                .build();

        private static final Schema ENVELOPE_WITHOUT_TRANSACTION = SchemaBuilder.struct()
                .field("op", Schema.STRING_SCHEMA)
                .field("before", ROW)
                .field("after", ROW)
                .field("source", SOURCE)
                .build();

        private static final Schema COLLECTION = SchemaBuilder.struct()
                .field("data_collection", Schema.STRING_SCHEMA)
                .field("event_count", Schema.INT64_SCHEMA)
                .build();

        private static final Schema TRANSACTION = SchemaBuilder.struct()
                .field("status", Schema.STRING_SCHEMA)
                .field("id", Schema.STRING_SCHEMA)
                .field("event_count", Schema.OPTIONAL_INT64_SCHEMA)
                .field("data_collections", SchemaBuilder.array(COLLECTION).optional().build())
                .field("ts_ms", Schema.INT64_SCHEMA)
                .build();

        /** A BEGIN, whose id carries the position of the transaction's first change, not of its commit. */
        static Struct begin(long txId, long lsn) {
            return new Struct(TRANSACTION)
                    .put("status", "BEGIN")
                    .put("id", txId + ":" + lsn)
                    .put("ts_ms", CHANGED_AT.toEpochMilli());
        }

        static Struct end(long txId, long lsn, Map<String, Long> counts) {
            return new Struct(TRANSACTION)
                    .put("status", "END")
                    .put("id", txId + ":" + lsn)
                    .put("event_count", counts.values().stream().mapToLong(Long::longValue).sum())
                    .put("data_collections", counts.entrySet().stream()
                            .map(count -> new Struct(COLLECTION).put("data_collection", count.getKey()).put("event_count", count.getValue()))
                            .toList())
                    .put("ts_ms", CHANGED_AT.toEpochMilli());
        }

        static Struct row(String table, String id, long txId, long lsn, long totalOrder) {
            return new Struct(ENVELOPE)
                    .put("op", "c")
                    .put("after", new Struct(ROW).put("id", id))
                    .put("source", source(table, txId, lsn, "false"))
                    // Rows carry the id of the BEGIN, whose position is before the commit's.
                    .put("transaction", new Struct(BLOCK).put("id", txId + ":" + (lsn - 500)).put("total_order", totalOrder)
                            .put("data_collection_order", totalOrder));
        }

        /** A row whose {@code source.sequence} names {@code lastCommit}, the commit of the transaction streamed before its own. */
        static Struct row(String table, String id, long txId, long lsn, long totalOrder, long lastCommit) {
            return rowWithSequence(table, id, txId, lsn, totalOrder, "[\"" + lastCommit + "\",\"" + (lsn - 500 + totalOrder) + "\"]");
        }

        static Struct rowWithSequence(String table, String id, long txId, long lsn, long totalOrder, String sequence) {
            Struct row = row(table, id, txId, lsn, totalOrder);
            row.getStruct("source").put("sequence", sequence);
            return row;
        }

        static Struct snapshotRow(String table, String id, long lsn, String snapshot) {
            return new Struct(ENVELOPE)
                    .put("op", "r")
                    .put("after", new Struct(ROW).put("id", id))
                    .put("source", source(table, 99, lsn, snapshot));
        }

        static Struct rowWithoutTransaction(String table, String id) {
            return new Struct(ENVELOPE_WITHOUT_TRANSACTION)
                    .put("op", "c")
                    .put("after", new Struct(ROW).put("id", id))
                    .put("source", source(table, 100, 1000, "false"));
        }

        private static Struct source(String table, long txId, long lsn, String snapshot) {
            return new Struct(SOURCE)
                    .put("table", table)
                    .put("txId", txId)
                    .put("lsn", lsn)
                    .put("ts_ms", CHANGED_AT.toEpochMilli())
                    .put("snapshot", snapshot);
        }
    }
}
