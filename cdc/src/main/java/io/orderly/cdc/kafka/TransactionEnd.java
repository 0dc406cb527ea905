package io.orderly.cdc.kafka;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.orderly.cdc.assembly.TransactionAssembler;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;

/**
 * The END event of a transaction, read at {@code offset} of {@code partition}: its commit
 * position, and how many rows of the followed tables it counts ({@code data_collections}).
 *
 * @param otherTables whether it also counts rows of tables the projector does not read, whose
 * places in {@code total_order} are then holes among those of the rows read
 */
record TransactionEnd(String id, long txId, long position, long expectedRows, boolean otherTables, Instant endedAt,
        TopicPartition partition, long offset) {

    /** @param collections the followed tables, as {@code schema.table} */
    static TransactionEnd of(Struct end, Set<String> collections, TopicPartition partition, long offset) {
        String id = end.getString("id");
        Long counted = end.getInt64("event_count");
        long expected = expectedRows(end, collections);
        return new TransactionEnd(id, TransactionAssembler.txIdOf(id), TransactionAssembler.positionOf(id), expected,
                counted != null && expected < counted, Instant.ofEpochMilli(end.getInt64("ts_ms")), partition, offset);
    }

    private static long expectedRows(Struct end, Set<String> collections) {
        List<Object> perCollection = end.getArray("data_collections");
        if (perCollection == null) {
            return end.getInt64("event_count");
        }
        long expected = 0;
        for (Object entry : perCollection) {
            Struct collection = (Struct) entry;
            if (collections.contains(schemaAndTable(collection.getString("data_collection")))) {
                expected += collection.getInt64("event_count");
            }
        }
        return expected;
    }

    private static String schemaAndTable(String collection) {
        int last = collection.lastIndexOf('.');
        int before = last <= 0 ? -1 : collection.lastIndexOf('.', last - 1);
        return collection.substring(before + 1);
    }
}
