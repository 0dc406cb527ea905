package io.orderly.cdc.kafka;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

import io.orderly.cdc.assembly.RowChange;
import io.orderly.cdc.assembly.TransactionPart;
import org.apache.kafka.common.TopicPartition;

/**
 * What was staged of the transaction at the head of the queue (every transaction before it
 * released): the rows of its first {@link #through} places ({@code total_order}), which the source
 * no longer holds, and where the first of them was read on each partition, which is where a new
 * consumer must read again from, as nothing of the transaction is marked until it is applied.
 */
final class StagedPrefix {

    private final long txId;
    private long through;
    private final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    private Instant lastChangedAt = Instant.EPOCH;

    StagedPrefix(long txId) {
        this.txId = txId;
    }

    long txId() {
        return txId;
    }

    /** The place of the last row staged, and how many rows were: places count from 1. */
    long through() {
        return through;
    }

    /** When the last row staged was changed, which is the transaction's commit time if no row follows it. */
    Instant lastChangedAt() {
        return lastChangedAt;
    }

    /** The place of the last row of the unbroken run of {@code rows} that follows the staged prefix of a transaction. */
    static long runEnd(NavigableMap<Long, BufferedRow> rows, long staged) {
        long end = staged;
        for (long place : rows.tailMap(staged, false).keySet()) {
            if (place != end + 1) {
                break;
            }
            end = place;
        }
        return end;
    }

    /**
     * Takes the next {@code count} rows of the transaction out of {@code rows} as a part: the
     * caller made sure they are all there ({@link #runEnd}).
     */
    TransactionPart take(NavigableMap<Long, BufferedRow> rows, int count) {
        List<RowChange> changes = new ArrayList<>(count);
        for (long place = through + 1; place <= through + count; place++) {
            BufferedRow row = rows.remove(place);
            changes.add(row.change());
            firstOffsets.merge(row.partition(), row.offset(), Math::min);
            lastChangedAt = row.changedAt();
        }
        boolean first = through == 0;
        through += count;
        return new TransactionPart(txId, changes, first);
    }

    /** Lowers each partition's offset in {@code resume} to that of the first row staged there. */
    void resumeFrom(Map<TopicPartition, Long> resume) {
        firstOffsets.forEach((partition, offset) -> resume.merge(partition, offset, Math::min));
    }
}
