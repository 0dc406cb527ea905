/**
 * From change events to source transactions: the row changes of one PostgreSQL transaction,
 * grouped between its BEGIN and END records, or a chunk of the initial snapshot.
 */
@NullMarked
package io.orderly.cdc.assembly;

import org.jspecify.annotations.NullMarked;
