package io.orderly.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 from embedded binaries, configured for logical replication, keeping its
 * data in a directory of its own so that it survives restarts of the server and of the application.
 */
public final class EmbeddedPostgresServer {

    static final String DATABASE = "orderly";
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final Path dataDirectory;
    private final int port;
    private @Nullable EmbeddedPostgres postgres;

    EmbeddedPostgresServer(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    synchronized void start() {
        try {
            Files.createDirectories(dataDirectory);
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_wal_senders", "10")
                    .setServerConfig("max_replication_slots", "10")
                    // The embedded default is off, which delays logical decoding of each commit by ~200 ms.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("listen_addresses", "localhost")
                    // Spring stops the server after the projector; a JVM hook of its own would race it.
                    .setRegisterShutdownHook(false)
                    .start();
            createDatabaseIfMissing(postgres);
            log.info("Embedded PostgreSQL on port {} with data in {}", port, dataDirectory);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL", e);
        }
        catch (SQLException e) {
            throw new IllegalStateException("Cannot create the database " + DATABASE, e);
        }
    }

    public synchronized void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            }
            catch (IOException e) {
                log.warn("Stopping the embedded PostgreSQL failed: {}", e.getMessage());
            }
            postgres = null;
        }
    }

    /** Stops and starts the server on the same port and data, as an operator restarting it would. */
    public void restart() {
        stop();
        start();
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
    }

    private static void createDatabaseIfMissing(EmbeddedPostgres postgres) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (exists.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + DATABASE);
        }
    }
}
