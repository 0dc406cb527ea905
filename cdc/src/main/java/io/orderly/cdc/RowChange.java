package io.orderly.cdc;

/** One committed change to one row of a captured table. */
public sealed interface RowChange {

    String table();

    /** A new row; also how a snapshot reports each existing row. */
    record Inserted(String table, Row after) implements RowChange {
    }

    record Updated(String table, Row after) implements RowChange {
    }

    /** A removed row; {@code before} holds at least the primary key. */
    record Deleted(String table, Row before) implements RowChange {
    }
}
