/**
 * From the PostgreSQL write-ahead log to the Redis read models: the Debezium engine, the grouping of
 * row changes into source transactions, and the atomic, idempotent application of each transaction.
 */
@NullMarked
package io.orderly.cdc;

import org.jspecify.annotations.NullMarked;
