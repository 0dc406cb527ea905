package io.orderly.cdc.assembly;

/** One committed change to one row of a captured table. */
public sealed interface RowChange {

    String table();

    /** The row after an insert or update, or the deleted row (at least its primary key). */
    Row row();

    /** A new row; also how a snapshot reports each existing row. */
    record Inserted(String table, Row after) implements RowChange {

        @Override
        public Row row() {
            return after;
        }
    }

    record Updated(String table, Row after) implements RowChange {

        @Override
        public Row row() {
            return after;
        }
    }

    /** A removed row; {@code before} holds at least the primary key. */
    record Deleted(String table, Row before) implements RowChange {

        @Override
        public Row row() {
            return before;
        }
    }
}
