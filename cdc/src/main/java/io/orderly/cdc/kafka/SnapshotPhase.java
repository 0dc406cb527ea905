package io.orderly.cdc.kafka;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.orderly.cdc.assembly.SourceTransaction;
import io.orderly.cdc.assembly.TransactionAssembler;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;
import org.jspecify.annotations.Nullable;

/**
 * Reading the snapshot from Kafka, where it is not one ordered stream: the connector writes every
 * snapshot row before it streams, but each partition is read at its own pace, so the snapshot's
 * last row (or a streamed transaction) may be read while other partitions still hold snapshot
 * rows. Until every partition has been read past its snapshot rows the snapshot is not complete:
 * no watermark is written and no streamed transaction is applied, so that neither a consistency
 * token nor a rebuild's switch can take half a snapshot for the whole.
 *
 * <p>A partition that reaches its first record that is not a snapshot row is paused (its record
 * waits in the buffers), so that memory stays bounded however long the history behind the
 * snapshot. Once the transaction topic has delivered its first event (written after the whole
 * snapshot), the end offsets of the other partitions are taken; the snapshot is complete when each
 * of them is reached or passed, and every partition resumes.
 */
final class SnapshotPhase {

    private final String transactionTopic;
    private boolean active;
    private final Set<TopicPartition> passed = new HashSet<>();
    private boolean streamed;
    private @Nullable Map<TopicPartition, Long> ends;
    private @Nullable SourceTransaction lastChunk;

    /** @param active whether the source starts with a snapshot to read (a fresh start, or a rebuild) */
    SnapshotPhase(boolean active, String transactionTopic) {
        this.active = active;
        this.transactionTopic = transactionTopic;
    }

    boolean active() {
        return active;
    }

    /** Notes a record read while the snapshot is being read, pausing its partition once past the snapshot rows. */
    void read(TopicPartition partition, Struct value, Consumer<?, ?> consumer) {
        if (!active || TransactionAssembler.isSnapshotRow(value)) {
            return;
        }
        if (partition.topic().equals(transactionTopic)) {
            streamed = true;
        }
        if (passed.add(partition)) {
            consumer.pause(List.of(partition));
        }
    }

    /** A snapshot chunk to deliver while the snapshot is being read: complete only once {@link #end} says so. */
    SourceTransaction chunk(SourceTransaction chunk) {
        if (!active) {
            return chunk;
        }
        lastChunk = chunk;
        return chunk.completesSnapshot()
                ? new SourceTransaction(chunk.txId(), chunk.position(), chunk.committedAt(), chunk.changes(), true, false)
                : chunk;
    }

    /**
     * Ends the phase when every partition has been read past its snapshot rows, resuming them all.
     *
     * @return the chunk, without rows, that completes the snapshot, if it had rows
     */
    Optional<SourceTransaction> end(Consumer<?, ?> consumer, Set<TopicPartition> assigned) {
        if (!active || !streamed) {
            return Optional.empty();
        }
        if (ends == null) {
            Set<TopicPartition> unpassed = assigned.stream().filter(partition -> !passed.contains(partition))
                    .collect(Collectors.toSet());
            ends = Map.copyOf(consumer.endOffsets(unpassed, Duration.ofSeconds(10)));
        }
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (!passed.contains(end.getKey()) && consumer.position(end.getKey()) < end.getValue()) {
                return Optional.empty();
            }
        }
        active = false;
        consumer.resume(consumer.paused());
        SourceTransaction last = lastChunk;
        return last == null ? Optional.empty()
                : Optional.of(new SourceTransaction(last.txId(), last.position(), last.committedAt(), List.of(), true, true));
    }
}
