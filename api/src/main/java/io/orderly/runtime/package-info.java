/**
 * How a process runs: its roles, the embedded PostgreSQL and Redis of the zero-setup default, and the Redis clients.
 */
@NullMarked
package io.orderly.runtime;

import org.jspecify.annotations.NullMarked;
