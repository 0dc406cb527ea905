package io.orderly.cdc.kafka;

import java.util.Map;

import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.TestRedis;
import io.orderly.cdc.readmodel.ReadModelKeys;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaOffsetsIntegrationTests {

    private static final int OWN_DATABASE = 5;
    private static final TopicPartition CUSTOMERS_0 = new TopicPartition("orderly.public.customers", 0);

    private final TestRedis.Connection database = TestRedis.connect(OWN_DATABASE);
    private final RedisCommands<String, String> redis = database.sync();

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aNewSourceLoadsTheOffsetsAndTheAppliedCommitSaved() {
        KafkaOffsets first = new KafkaOffsets(redis);
        assertThat(first.load()).isEmpty();
        assertThat(first.appliedCommit()).isZero();
        first.save(Map.of(CUSTOMERS_0, 7L), 3000);

        KafkaOffsets next = new KafkaOffsets(redis);
        assertThat(next.load()).containsExactly(Map.entry(CUSTOMERS_0, 7L));
        assertThat(next.appliedCommit()).isEqualTo(3000);
        assertThat(redis.get(ReadModelKeys.KAFKA_APPLIED_COMMIT)).isEqualTo("3000");
    }

    @Test
    void anUnreadableAppliedCommitIsTakenForNoneAndReplacedByTheNextOne() {
        redis.set(ReadModelKeys.KAFKA_APPLIED_COMMIT, "0/BB8");
        KafkaOffsets offsets = new KafkaOffsets(redis);
        offsets.load();
        assertThat(offsets.appliedCommit()).isZero();

        offsets.save(Map.of(CUSTOMERS_0, 1L), 4000);

        assertThat(redis.get(ReadModelKeys.KAFKA_APPLIED_COMMIT)).isEqualTo("4000");
    }
}
