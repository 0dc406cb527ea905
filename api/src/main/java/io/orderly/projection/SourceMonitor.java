package io.orderly.projection;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.cdc.readmodel.Lsn;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.cdc.readmodel.SourceStatus;
import io.orderly.runtime.ConditionalOnRole;
import io.orderly.runtime.OrderlyProperties;
import io.orderly.runtime.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Samples the write store's WAL position and the replication slot's retained WAL every two seconds
 * and publishes them next to the read models, so that {@code projection} can tell how far behind
 * the projector is, in bytes, even while no projector runs.
 */
@Component
@ConditionalOnRole(Role.COMMAND)
class SourceMonitor {

    private static final Logger log = LoggerFactory.getLogger(SourceMonitor.class);

    private final JdbcClient jdbc;
    private final StatefulRedisConnection<String, String> redis;
    private final String slotName;
    private final Clock clock = Clock.systemUTC();
    private final AtomicLong slotRetainedBytes = new AtomicLong();

    SourceMonitor(JdbcClient jdbc, StatefulRedisConnection<String, String> readModelConnection, OrderlyProperties properties,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        Gauge.builder("orderly.projector.slot.retained", slotRetainedBytes, AtomicLong::get).baseUnit("bytes")
                .description("WAL held on the PostgreSQL server by the projector's replication slot").register(meters);
        this.redis = readModelConnection;
        this.slotName = properties.projector().slotName();
    }

    /** The slot the served read models follow: a rebuild switches between two. */
    private String servedSlot() {
        String slot = redis.sync().get(ReadModelKeys.SLOT);
        return slot == null ? slotName : slot;
    }

    @Scheduled(fixedDelay = 2000, initialDelay = 1000)
    void sample() {
        try {
            long position = Lsn.parse(jdbc.sql("SELECT pg_current_wal_lsn()::text").query(String.class).single());
            SourceStatus status = jdbc.sql("""
                            SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint AS retained, active
                              FROM pg_replication_slots WHERE slot_name = :slot
                            """)
                    .param("slot", servedSlot())
                    .query((row, n) -> new SourceStatus(position, row.getLong("retained"), row.getBoolean("active"), clock.instant()))
                    .optional()
                    .orElseGet(() -> new SourceStatus(position, null, false, clock.instant()));
            redis.async().hset(ReadModelKeys.SOURCE_STATUS, status.toHash());
            slotRetainedBytes.set(status.slotRetainedBytes() == null ? 0 : status.slotRetainedBytes());
        }
        catch (RuntimeException e) {
            log.debug("Cannot sample the write store's WAL position: {}", e.getMessage());
        }
    }
}
