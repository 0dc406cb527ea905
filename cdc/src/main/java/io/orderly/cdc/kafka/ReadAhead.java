package io.orderly.cdc.kafka;

import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * Which table partitions to pause so that the rows held stay bounded when one partition is read far
 * ahead of another. Each partition holds the rows of one transaction after another, in order
 * ({@code total_order}), so a partition whose last row read is beyond the unbroken run that the
 * head transaction has so far (or belongs to a later transaction) cannot bring the row that run
 * waits for: it is paused once more than {@code bound} rows are held beyond that run, and resumed
 * once the run has caught up with it. The partition that brings the awaited row is never paused,
 * so the run always grows, is staged, and frees room.
 */
final class ReadAhead {

    /** How many ENDs may wait for their rows before the transaction topic is paused too. */
    static final int ENDS_HELD = 10_000;

    private final int bound;
    /** The transaction and place of the last streamed row read on each partition. */
    private final Map<TopicPartition, Place> lastRows = new HashMap<>();

    /** @param bound how many rows may be held beyond the head transaction's run before partitions that ran ahead pause */
    ReadAhead(int bound) {
        this.bound = bound;
    }

    void read(TopicPartition partition, long txId, long place) {
        lastRows.put(partition, new Place(txId, place));
    }

    /**
     * The partitions to pause now: those that ran ahead once more than {@code bound} rows are held
     * beyond the head's unbroken run, and the transaction topic once {@value #ENDS_HELD} ENDs wait.
     * No table partition is paused for a head whose END counts rows of tables not read, as no run
     * crosses their places.
     *
     * @param rows the rows held, by transaction, each by its place
     * @param ends the ENDs waiting for their rows, in commit order
     * @param head the transaction every earlier one of which was released, if known
     * @param staged the place of the head's last row staged (0 if none)
     */
    Set<TopicPartition> ahead(Map<Long, TreeMap<Long, BufferedRow>> rows, Deque<TransactionEnd> ends, @Nullable Long head,
            long staged) {
        TransactionEnd first = ends.peekFirst();
        Set<TopicPartition> ahead = first != null && first.otherTables() ? new HashSet<>() : runAhead(rows, head, staged);
        if (ends.size() > ENDS_HELD) {
            ahead.add(ends.peekLast().partition());
        }
        return ahead;
    }

    private Set<TopicPartition> runAhead(Map<Long, TreeMap<Long, BufferedRow>> rows, @Nullable Long head, long staged) {
        TreeMap<Long, BufferedRow> headRows = head == null ? null : rows.get(head);
        long runEnd = headRows == null ? staged : StagedPrefix.runEnd(headRows, staged);
        long held = rows.values().stream().mapToLong(Map::size).sum();
        Set<TopicPartition> ahead = new HashSet<>();
        if (held - (runEnd - staged) <= bound) {
            return ahead;
        }
        lastRows.forEach((partition, last) -> {
            boolean behindTheRun = head != null && last.txId == head && last.place <= runEnd;
            if (rows.containsKey(last.txId) && !behindTheRun) {
                ahead.add(partition);
            }
        });
        return ahead;
    }

    private record Place(long txId, long place) {
    }
}
