package io.orderly.cdc.readmodel;

/**
 * A document in Redis that remembers the commit position (LSN) of the transaction that produced it,
 * so that an older change arriving again can be recognised and ignored.
 */
public interface ReadModelDocument {

    long lsn();
}
