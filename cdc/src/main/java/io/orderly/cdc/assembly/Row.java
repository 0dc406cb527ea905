package io.orderly.cdc.assembly;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The column values of one table row as Debezium reports them (uuid and timestamptz as text,
 * numeric as a decimal string).
 */
public record Row(Map<String, @Nullable Object> values) {

    /** What Debezium sends for an unchanged TOASTed column that PostgreSQL left out of the WAL. */
    static final String UNAVAILABLE = "__debezium_unavailable_value";

    public String string(String column) {
        return String.valueOf(required(column));
    }

    public @Nullable String nullableString(String column) {
        Object value = values.get(column);
        return value == null ? null : value.toString();
    }

    public int integer(String column) {
        return ((Number) required(column)).intValue();
    }

    public boolean bool(String column) {
        return (Boolean) required(column);
    }

    public BigDecimal decimal(String column) {
        return new BigDecimal(string(column));
    }

    public Instant instant(String column) {
        return Instant.parse(string(column));
    }

    public @Nullable Instant nullableInstant(String column) {
        String value = nullableString(column);
        return value == null ? null : Instant.parse(value);
    }

    /** Whether the row has a value for the column (a deleted row may carry its primary key only). */
    public boolean has(String column) {
        return values.get(column) != null;
    }

    /** Whether PostgreSQL left this column out of the change because it was unchanged and TOASTed. */
    public boolean isUnavailable(String column) {
        return UNAVAILABLE.equals(values.get(column));
    }

    private Object required(String column) {
        Object value = values.get(column);
        if (value == null) {
            throw new IllegalStateException("column " + column + " is null or missing in " + values.keySet());
        }
        return value;
    }
}
