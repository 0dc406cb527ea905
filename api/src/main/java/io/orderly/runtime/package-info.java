/**
 * How a process runs: its roles, the embedded PostgreSQL and Redis of the zero-setup default, the Redis clients, and which threads may wait for Redis.
 */
@NullMarked
package io.orderly.runtime;

import org.jspecify.annotations.NullMarked;
