package io.orderly.runtime;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded PostgreSQL outlives a process killed before it could stop it; the next start on the
 * same data directory stops that server and runs its own, with the data intact.
 */
class EmbeddedPostgresServerIntegrationTests {

    @TempDir
    Path data;

    @Test
    @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void stopsTheServerAKilledProcessLeftRunningAndStartsOnTheSameData() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process killed = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EmbeddedPostgresProcess.class.getName(), data.toString(),
                Integer.toString(port))
                .redirectErrorStream(true)
                .start();
        EmbeddedPostgresServer next = new EmbeddedPostgresServer(data, port);
        try {
            awaitLine(killed, "started");
            String url = "jdbc:postgresql://localhost:" + port + "/" + EmbeddedPostgresServer.DATABASE;
            try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE survivor (name text)");
                statement.execute("INSERT INTO survivor VALUES ('kept')");
            }
            long abandonedPid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
            killed.destroyForcibly().waitFor();
            assertThat(ProcessHandle.of(abandonedPid).map(ProcessHandle::isAlive).orElse(false))
                    .as("PostgreSQL outlives the process that started it").isTrue();

            next.start();
            try (Connection connection = DriverManager.getConnection(next.jdbcUrl(), "postgres", "postgres");
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT name FROM survivor")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("kept");
            }
            assertThat(ProcessHandle.of(abandonedPid).map(ProcessHandle::isAlive).orElse(false))
                    .as("the server left running was stopped").isFalse();
        }
        finally {
            killed.destroyForcibly();
            next.stop();
            stopAnyServerOn(data);
        }
    }

    private static void awaitLine(Process process, String expected) throws Exception {
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        do {
            line = output.readLine();
        } while (line != null && !line.equals(expected));
        assertThat(line).as("the child process said '%s'", expected).isEqualTo(expected);
    }

    /** Cleans up after a failed run: no server may outlive the test. */
    private static void stopAnyServerOn(Path data) throws Exception {
        Path pidFile = data.resolve("postmaster.pid");
        if (Files.exists(pidFile)) {
            ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim())).ifPresent(ProcessHandle::destroy);
        }
    }
}
