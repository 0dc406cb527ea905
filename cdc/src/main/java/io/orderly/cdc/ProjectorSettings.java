package io.orderly.cdc;

import java.time.Duration;
import java.util.Map;

/**
 * Where the projector reads changes from and how: the PostgreSQL connection used for logical
 * replication, the replication slot and publication, how many change-feed entries to keep, and the
 * Redis server and databases: the one whose read models are served, and a spare one where a rebuild
 * builds the next generation.
 *
 * @param redisServer {@code redis://[user:password@]host:port}, without a database
 * @param debezium further Debezium engine properties, handed to it as they are; none may override
 * one the projector sets itself
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
        Map<String, String> debezium) {

    public ProjectorSettings {
        debezium = Map.copyOf(debezium);
        if (redisDatabase == rebuildDatabase) {
            throw new IllegalArgumentException("The rebuild database must not be the served one (both are " + redisDatabase
                    + "); set orderly.projector.rebuild-database to a spare Redis database");
        }
    }

    public String redisUri(int redisDatabase) {
        return redisServer + "/" + redisDatabase;
    }
}
