package io.orderly.cdc.kafka;

import java.time.Instant;

import io.orderly.cdc.assembly.RowChange;
import org.apache.kafka.common.TopicPartition;

/**
 * A row change of a transaction not yet released, with where it was read, which a new consumer
 * reads again from until it is.
 */
record BufferedRow(RowChange change, Instant changedAt, TopicPartition partition, long offset) {
}
