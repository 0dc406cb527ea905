package io.orderly.cdc.kafka;

import org.apache.kafka.clients.consumer.Consumer;

/**
 * Publishes a Kafka source's consumer metrics (its lag above all) for as long as the consumer
 * lives, so that consumer lag can be watched next to the projector's own.
 */
@FunctionalInterface
public interface ConsumerMetrics {

    ConsumerMetrics NONE = consumer -> () -> {
    };

    /** Starts publishing the consumer's metrics; closing the result stops. */
    AutoCloseable bind(Consumer<?, ?> consumer);
}
