package io.orderly.cdc.supervision;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EngineFailureTests {

    @Test
    void aKafkaBrokerThatDoesNotAnswerIsWorthARestart() {
        assertThat(EngineFailure.of(new TimeoutException("Timeout expired while fetching topic metadata")))
                .isEqualTo(EngineFailure.SOURCE_UNAVAILABLE);
    }

    @Test
    void redisUnavailableStaysRedisUnavailable() {
        assertThat(EngineFailure.of(new IllegalStateException("apply failed", new RedisConnectionException("refused"))))
                .isEqualTo(EngineFailure.REDIS_UNAVAILABLE);
    }

    @Test
    void aCommandRedisRefusesIsFatal() {
        assertThat(EngineFailure.of(new IllegalStateException("Cannot apply the rest of a visible staged transaction",
                new RedisCommandExecutionException("OOM command not allowed when used memory > 'maxmemory'"))))
                .isEqualTo(EngineFailure.FATAL);
    }

    @Test
    void aTruncatedTopicIsFatal() {
        assertThat(EngineFailure.of(new IllegalStateException("no longer start at offset 0"))).isEqualTo(EngineFailure.FATAL);
    }
}
