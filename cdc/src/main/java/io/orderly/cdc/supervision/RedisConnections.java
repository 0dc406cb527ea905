package io.orderly.cdc.supervision;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.orderly.cdc.ProjectorSettings;
import org.jspecify.annotations.Nullable;

/** The projector's connections to Redis, opened when it starts and closed when it stops. */
final class RedisConnections implements AutoCloseable {

    private final ProjectorSettings settings;
    private final RedisClient redisClient;
    /** The served database: lease, status, progress; shared by the supervisor and the engines, never in MULTI. */
    private final StatefulRedisConnection<String, String> status;
    /**
     * Opens the engines' connections, without automatic reconnection: a reconnected connection
     * would send again, outside MULTI, what was in flight. An engine whose connection drops fails
     * instead, and the supervisor starts a new one, which resumes from the watermark.
     */
    private final RedisClient engineClient;
    /** The spare database a rebuild builds in; opened on first use, as a Redis with one database has none. */
    private @Nullable StatefulRedisConnection<String, String> spare;

    RedisConnections(ProjectorSettings settings, RedisClient redisClient) {
        this.settings = settings;
        this.redisClient = redisClient;
        this.status = redisClient.connect();
        RedisURI engineUri = RedisURI.create(settings.redisUri(settings.redisDatabase()));
        engineUri.setTimeout(status.getTimeout());
        this.engineClient = RedisClient.create(engineUri);
        engineClient.setOptions(ClientOptions.builder().autoReconnect(false).build());
    }

    StatefulRedisConnection<String, String> status() {
        return status;
    }

    /** A new connection for an engine applying to Redis database {@code database}, the served or the spare one. */
    StatefulRedisConnection<String, String> forEngine(int database) {
        StatefulRedisConnection<String, String> connection = engineClient.connect();
        return database == settings.redisDatabase() ? connection : inSpareDatabase(connection);
    }

    /** A new connection to the served database, reconnecting by itself. */
    StatefulRedisConnection<String, String> served() {
        return redisClient.connect();
    }

    StatefulRedisConnection<String, String> spare() {
        if (spare == null) {
            spare = inSpareDatabase(redisClient.connect());
        }
        return spare;
    }

    @Override
    public void close() {
        closeQuietly(spare);
        spare = null;
        closeQuietly(status);
        engineClient.shutdown();
    }

    /** Selects the spare database on the connection, or closes it and says why a rebuild cannot run. */
    private StatefulRedisConnection<String, String> inSpareDatabase(StatefulRedisConnection<String, String> connection) {
        try {
            connection.sync().select(settings.rebuildDatabase());
            return connection;
        }
        catch (RuntimeException e) {
            connection.close();
            throw new IllegalStateException("Redis refuses database " + settings.rebuildDatabase()
                    + " (orderly.projector.rebuild-database), which a rebuild needs: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(@Nullable StatefulRedisConnection<String, String> connection) {
        if (connection != null && connection.isOpen()) {
            connection.close();
        }
    }
}
