package io.orderly.cdc;

import java.time.Duration;
import java.util.Map;

import io.orderly.cdc.assembly.TransactionAssembler;

/**
 * Where the projector reads changes from and how: the PostgreSQL connection used for logical
 * replication, the replication slot and publication, how many change-feed entries to keep, and the
 * Redis server and databases: the one whose read models are served, and a spare one where a rebuild
 * builds the next generation.
 *
 * @param redisServer {@code redis://[user:password@]host:port}, without a database
 * @param debezium further Debezium engine properties, handed to it as they are; none may override
 * one the projector sets itself
 * @param stagingThreshold how many row changes of one transaction the projector holds in memory;
 * a larger transaction is staged in Redis in parts of this size and made visible at its end, and
 * a snapshot is applied in chunks of this size; the Kafka source also holds up to this many rows
 * read ahead of the part it waits for
 */
public record ProjectorSettings(
        String host,
        int port,
        String database,
        String user,
        String password,
        String slotName,
        String publication,
        Duration pollInterval,
        Duration heartbeatInterval,
        long feedRetention,
        Duration leaseDuration,
        String redisServer,
        int redisDatabase,
        int rebuildDatabase,
        Map<String, String> debezium,
        int stagingThreshold) {

    public ProjectorSettings(String host, int port, String database, String user, String password, String slotName,
            String publication, Duration pollInterval, Duration heartbeatInterval, long feedRetention, Duration leaseDuration,
            String redisServer, int redisDatabase, int rebuildDatabase, Map<String, String> debezium) {
        this(host, port, database, user, password, slotName, publication, pollInterval, heartbeatInterval, feedRetention,
                leaseDuration, redisServer, redisDatabase, rebuildDatabase, debezium, TransactionAssembler.DEFAULT_STAGING_THRESHOLD);
    }

    public ProjectorSettings {
        debezium = Map.copyOf(debezium);
        if (stagingThreshold < 1) {
            throw new IllegalArgumentException("orderly.projector.staging-threshold must be at least 1, not " + stagingThreshold);
        }
        if (redisDatabase == rebuildDatabase) {
            throw new IllegalArgumentException("The rebuild database must not be the served one (both are " + redisDatabase
                    + "); set orderly.projector.rebuild-database to a spare Redis database");
        }
    }

    public String redisUri(int redisDatabase) {
        return redisServer + "/" + redisDatabase;
    }
}
