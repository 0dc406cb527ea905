package io.orderly.cdc.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.orderly.cdc.assembly.SourceTransaction;
import io.orderly.cdc.assembly.TransactionAssembler;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;

/**
 * The snapshot rows read and not yet released, collected into chunks as the embedded engine's
 * assembler does, with where the first of them was read on each partition, which is where a new
 * consumer must read again from until they are released.
 */
final class SnapshotRows {

    private final TransactionAssembler assembler = new TransactionAssembler();
    private final Map<TopicPartition, Long> firstOffsets = new HashMap<>();

    void accept(TopicPartition partition, long offset, Struct row) {
        assembler.accept(row);
        firstOffsets.merge(partition, offset, Math::min);
    }

    /** The rows read so far, as one chunk (none if there are none), taken out of the buffers. */
    List<SourceTransaction> drain() {
        firstOffsets.clear();
        return assembler.drainSnapshotChunk().stream().toList();
    }

    /** Lowers each partition's offset in {@code resume} to that of the first snapshot row held there. */
    void resumeFrom(Map<TopicPartition, Long> resume) {
        firstOffsets.forEach((partition, offset) -> resume.merge(partition, offset, Math::min));
    }
}
