/**
 * A change source fed from Kafka: the topics a Debezium PostgreSQL connector in Kafka Connect
 * writes with transaction metadata, put back together into source transactions in commit order.
 */
@NullMarked
package io.orderly.cdc.kafka;

import org.jspecify.annotations.NullMarked;
