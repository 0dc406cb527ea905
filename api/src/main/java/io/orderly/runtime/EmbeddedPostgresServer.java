package io.orderly.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
            stopServerLeftRunning();
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

    /**
     * Stops a server still running on this data directory: left by an earlier process that was
     * killed before it could stop it (PostgreSQL detaches from the process that starts it).
     */
    private void stopServerLeftRunning() throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile) || ownedByALiveProcess()) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 3 || !Path.of(lines.get(1)).toAbsolutePath().normalize().equals(dataDirectory.toAbsolutePath().normalize())) {
            return;
        }
        // The pid file's third line is the server's start time: a pid reused by another process does not match it.
        long startedAt = Long.parseLong(lines.get(2).trim());
        Optional<ProcessHandle> server = ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                .filter(process -> process.info().command().map(command -> command.endsWith("postgres")).orElse(false))
                .filter(process -> process.info().startInstant()
                        .map(start -> Math.abs(start.getEpochSecond() - startedAt) <= 2).orElse(false));
        if (server.isEmpty()) {
            return;
        }
        log.warn("Stopping a PostgreSQL (pid {}) left running on {} by an earlier process", server.get().pid(), dataDirectory);
        server.get().destroy();
        try {
            server.get().onExit().get(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException e) {
            server.get().destroyForcibly();
        }
    }

    /**
     * Whether a running process still holds the lock the embedded server takes on its data directory:
     * then the server is in use, not left behind.
     */
    private boolean ownedByALiveProcess() throws IOException {
        Path lockFile = dataDirectory.resolve("epg-lock");
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        }
        catch (OverlappingFileLockException e) {
            return true;
        }
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
