package io.orderly.cdc.apply;

import java.util.Collection;
import java.util.Set;

import io.orderly.cdc.assembly.RowChange;

/**
 * Keeps one read model up to date from the row changes of the tables it follows. Implementations
 * stage their writes in the given {@link ReadModelBatch} and must be idempotent: a change at or
 * below the position of the document it would touch is ignored.
 */
public interface Projection {

    /** The tables (unqualified names) whose changes this projection reacts to. */
    Set<String> tables();

    void apply(RowChange change, ReadModelBatch batch);

    /**
     * The keys of the documents {@link #apply} will read for this change, so that the projector
     * can fetch those of many transactions in one round trip. Only a hint: a document left out is
     * read when it is asked for.
     */
    Collection<String> documentsRead(RowChange change);
}
