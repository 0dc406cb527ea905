package io.orderly.cdc.apply;

import java.util.Collection;
import java.util.List;

import io.orderly.cdc.assembly.Row;
import io.orderly.cdc.assembly.RowChange;

/** A projection that keeps one document per row: inserted and updated rows are upserted, deleted rows removed. */
public interface RowProjection extends Projection {

    void upsert(Row row, ReadModelBatch batch);

    /** @param row the deleted row's primary key (and more, with a fuller replica identity) */
    void remove(Row row, ReadModelBatch batch);

    /** The key of the document {@code row} is projected into. */
    String documentKey(Row row);

    @Override
    default Collection<String> documentsRead(RowChange change) {
        return List.of(documentKey(change.row()));
    }

    @Override
    default void apply(RowChange change, ReadModelBatch batch) {
        if (change instanceof RowChange.Inserted inserted) {
            upsert(inserted.after(), batch);
        }
        else if (change instanceof RowChange.Updated updated) {
            upsert(updated.after(), batch);
        }
        else if (change instanceof RowChange.Deleted deleted) {
            remove(deleted.before(), batch);
        }
    }
}
