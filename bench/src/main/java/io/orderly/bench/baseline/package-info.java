/**
 * The SQL-join baseline: a plain Spring for GraphQL application that resolves the benchmark's read
 * queries straight from PostgreSQL, so that the benchmark can compare Orderly's Redis read path with it.
 */
@NullMarked
package io.orderly.bench.baseline;

import org.jspecify.annotations.NullMarked;
