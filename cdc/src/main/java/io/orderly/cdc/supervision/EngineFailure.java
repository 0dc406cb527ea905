package io.orderly.cdc.supervision;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.orderly.cdc.apply.ProjectorFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.jspecify.annotations.Nullable;

/** What an engine's failure means for the projector, and so what the supervisor does about it. */
enum EngineFailure {

    /** Redis lost its data under the running engine: the read models are rebuilt in place. */
    READ_MODELS_LOST,

    /**
     * A lost, refused or timed-out Redis connection (the engines' connections do not reconnect by
     * themselves): nothing is wrong with the data, and a new engine resumes once Redis answers.
     */
    REDIS_UNAVAILABLE,

    /**
     * The source's own servers did not answer in time (Kafka brokers, for a source reading Kafka):
     * nothing is wrong with the data, and a new engine resumes once they answer.
     */
    SOURCE_UNAVAILABLE,

    /** Anything else, such as an error Redis answered with or a change no projection can apply: a restart would not cure it. */
    FATAL;

    static EngineFailure of(@Nullable Throwable error) {
        if (watermarkVanished(error)) {
            return READ_MODELS_LOST;
        }
        if (redisUnavailable(error)) {
            return REDIS_UNAVAILABLE;
        }
        return kafkaUnavailable(error) ? SOURCE_UNAVAILABLE : FATAL;
    }

    private static boolean kafkaUnavailable(@Nullable Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }

    private static boolean redisUnavailable(@Nullable Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof RedisCommandExecutionException) {
                return false;
            }
            if (cause instanceof RedisException) {
                return true;
            }
        }
        return false;
    }

    private static boolean watermarkVanished(@Nullable Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProjectorFencedException fenced && fenced.watermarkVanished()) {
                return true;
            }
        }
        return false;
    }
}
