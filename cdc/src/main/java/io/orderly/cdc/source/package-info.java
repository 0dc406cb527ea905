/**
 * Where source transactions come from: the embedded Debezium engine on a PostgreSQL replication
 * slot, its configuration, its offsets in Redis, and what the projector asks PostgreSQL about its
 * slots.
 */
@NullMarked
package io.orderly.cdc.source;

import org.jspecify.annotations.NullMarked;
