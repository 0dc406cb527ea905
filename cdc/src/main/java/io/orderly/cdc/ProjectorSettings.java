package io.orderly.cdc;

import java.time.Duration;

/**
 * Where the projector reads changes from and how: the PostgreSQL connection used for logical
 * replication, the replication slot and publication, how many change-feed entries to keep, and the
 * Redis URI for the engine's offsets.
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
        String redisUri) {

    String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }
}
