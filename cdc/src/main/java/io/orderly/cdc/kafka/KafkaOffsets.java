package io.orderly.cdc.kafka;

import java.util.HashMap;
import java.util.Map;

import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.readmodel.ReadModelKeys;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka positions of one generation of the read models, kept in its Redis database under
 * {@link ReadModelKeys#KAFKA_OFFSETS}: where to read each partition again from; and under
 * {@link ReadModelKeys#KAFKA_APPLIED_COMMIT} the commit position of a streamed transaction they
 * hold ({@link AppliedTransactions}). Both are stored after the read models, so a crash in between
 * leaves them behind, never ahead. Clearing the read models clears them too, so a fresh start reads
 * the topics from their beginning.
 */
final class KafkaOffsets {

    private static final Logger log = LoggerFactory.getLogger(KafkaOffsets.class);

    private final RedisCommands<String, String> redis;
    private Map<TopicPartition, Long> saved = Map.of();
    private long savedCommit;

    KafkaOffsets(RedisCommands<String, String> redis) {
        this.redis = redis;
    }

    /**
     * Reads what is stored: returns the offsets, by partition, and keeps the commit position for
     * {@link #appliedCommit()}. One that cannot be read is taken for none (and logged): rows then
     * wait for their ENDs until a streamed transaction is applied, whose commit replaces it.
     */
    Map<TopicPartition, Long> load() {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        redis.hgetall(ReadModelKeys.KAFKA_OFFSETS).forEach((field, offset) -> {
            int colon = field.lastIndexOf(':');
            offsets.put(new TopicPartition(field.substring(0, colon), Integer.parseInt(field.substring(colon + 1))),
                    Long.parseLong(offset));
        });
        saved = Map.copyOf(offsets);
        String commit = redis.get(ReadModelKeys.KAFKA_APPLIED_COMMIT);
        try {
            savedCommit = commit == null ? 0 : Math.max(0, Long.parseLong(commit));
        }
        catch (NumberFormatException e) {
            log.warn("Ignoring the unreadable applied commit '{}' stored under {}", commit, ReadModelKeys.KAFKA_APPLIED_COMMIT);
            savedCommit = 0;
        }
        return offsets;
    }

    /** The commit position {@link #load()} read or {@link #save} last stored, 0 if none. */
    long appliedCommit() {
        return savedCommit;
    }

    /** Stores the offsets that moved since the last save, and the applied commit if it moved. */
    void save(Map<TopicPartition, Long> offsets, long appliedCommit) {
        if (appliedCommit != savedCommit) {
            redis.set(ReadModelKeys.KAFKA_APPLIED_COMMIT, Long.toString(appliedCommit));
            savedCommit = appliedCommit;
        }
        Map<String, String> moved = new HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (!offset.equals(saved.get(partition))) {
                moved.put(partition.topic() + ":" + partition.partition(), Long.toString(offset));
            }
        });
        if (!moved.isEmpty()) {
            redis.hset(ReadModelKeys.KAFKA_OFFSETS, moved);
            Map<TopicPartition, Long> merged = new HashMap<>(saved);
            merged.putAll(offsets);
            saved = Map.copyOf(merged);
        }
    }
}
