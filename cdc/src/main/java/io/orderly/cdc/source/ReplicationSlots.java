package io.orderly.cdc.source;

import java.sql.ResultSet;
import java.util.Collection;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.orderly.cdc.readmodel.Lsn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the projector asks PostgreSQL about its replication slots, and the size of a snapshot to
 * come, over the application's connection pool.
 */
public final class ReplicationSlots {

    private static final Logger log = LoggerFactory.getLogger(ReplicationSlots.class);

    /** Above this many rows (by PostgreSQL's estimate) a snapshot's size is estimated rather than counted. */
    static final long ROWS_COUNTED = 1_000_000;

    private final JdbcClient jdbc;

    public ReplicationSlots(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** Whether the slot exists, even one PostgreSQL invalidated. */
    public boolean isPresent(String slot) {
        return anyRow("""
                SELECT 1 FROM pg_replication_slots WHERE slot_name = ?
                """, slot);
    }

    /** Whether the slot exists and still has every change since it last confirmed. */
    public boolean isUsable(String slot) {
        // A slot PostgreSQL invalidated (max_slot_wal_keep_size exceeded) lost changes: treat it as gone.
        return anyRow("""
                SELECT 1 FROM pg_replication_slots WHERE slot_name = ? AND wal_status IS DISTINCT FROM 'lost'
                """, slot);
    }

    /** The WAL position the slot has confirmed as processed; 0 when it has none or does not exist. */
    public long confirmedPosition(String slot) {
        try {
            return jdbc.sql("""
                    SELECT coalesce(confirmed_flush_lsn::text, '') FROM pg_replication_slots WHERE slot_name = ?
                    """)
                    .param(slot)
                    .query(String.class)
                    .optional()
                    .filter(lsn -> !lsn.isEmpty())
                    .map(Lsn::parse)
                    .orElse(0L);
        }
        catch (DataAccessException e) {
            throw cannotInspect(slot, e);
        }
    }

    public void drop(String slot) {
        if (anyRow("""
                SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?
                """, slot)) {
            log.info("Dropped replication slot '{}'", slot);
        }
    }

    /**
     * The rows of the given tables (of schema {@code public}) now: the size of a snapshot, for its
     * progress. Counted exactly up to {@value #ROWS_COUNTED} rows; beyond, PostgreSQL's estimate,
     * as counting would keep the supervisor (and the lease) waiting. 0 when PostgreSQL cannot say.
     */
    public long countRows(Collection<String> tables) {
        String names = tables.stream().map(table -> "'public." + table + "'").collect(Collectors.joining(", "));
        long estimate = singleNumber("SELECT coalesce(sum(greatest(reltuples, 0)), 0)::bigint FROM pg_class "
                + "WHERE oid = ANY(ARRAY[" + names + "]::regclass[])");
        if (estimate > ROWS_COUNTED) {
            return estimate;
        }
        return singleNumber(tables.stream()
                .map(table -> "(SELECT count(*) FROM public." + table + ")")
                .collect(Collectors.joining(" + ", "SELECT ", "")));
    }

    private long singleNumber(String sql) {
        try {
            return jdbc.sql(sql).query(Long.class).optional().orElse(0L);
        }
        catch (DataAccessException e) {
            log.warn("Cannot count the rows to snapshot: {}", e.getMessage());
            return 0;
        }
    }

    private boolean anyRow(String sql, String slot) {
        try {
            return Boolean.TRUE.equals(jdbc.sql(sql).param(slot).query(ResultSet::next));
        }
        catch (DataAccessException e) {
            throw cannotInspect(slot, e);
        }
    }

    private static IllegalStateException cannotInspect(String slot, DataAccessException cause) {
        return new IllegalStateException("Cannot inspect replication slot '" + slot + "'", cause);
    }
}
