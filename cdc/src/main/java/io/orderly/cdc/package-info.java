/**
 * From the PostgreSQL write-ahead log to the Redis read models, in stages: source (the Debezium
 * engine), assembly (row changes grouped into source transactions), apply (projections written
 * atomically and idempotently) and readmodel (the contract the API reads); pipeline is the seam
 * between a source and what applies its transactions, supervision runs them, and
 * ProjectorSettings configures them.
 */
@NullMarked
package io.orderly.cdc;

import org.jspecify.annotations.NullMarked;
