/**
 * From source transactions to the read models: the projection contract, the atomic, idempotent,
 * fenced application of whole transactions in one MULTI/EXEC, and the writer a change source
 * delivers to, which never asks where a transaction came from.
 */
@NullMarked
package io.orderly.cdc.apply;

import org.jspecify.annotations.NullMarked;
