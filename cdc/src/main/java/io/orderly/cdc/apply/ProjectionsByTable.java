package io.orderly.cdc.apply;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.orderly.cdc.assembly.RowChange;

/** The projections of each captured table, and what they read and write for a transaction's changes. */
final class ProjectionsByTable {

    private final Map<String, List<Projection>> byTable;

    ProjectionsByTable(List<Projection> projections) {
        this.byTable = projections.stream()
                .flatMap(projection -> projection.tables().stream().map(table -> Map.entry(table, projection)))
                .collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
    }

    /** The documents the projections will read for these changes, to be fetched in one round trip. */
    List<String> documentsRead(Stream<RowChange> changes) {
        return changes
                .flatMap(change -> of(change).stream().flatMap(projection -> projection.documentsRead(change).stream()))
                .toList();
    }

    /** Projects the changes into the batch; a change that cannot be projected names its transaction. */
    void project(String transaction, List<RowChange> changes, ReadModelBatch batch) {
        try {
            for (RowChange change : changes) {
                of(change).forEach(projection -> projection.apply(change, batch));
            }
        }
        catch (RuntimeException e) {
            throw new IllegalStateException(transaction + " cannot be projected: " + e.getMessage(), e);
        }
    }

    private List<Projection> of(RowChange change) {
        return byTable.getOrDefault(change.table(), List.of());
    }
}
