package io.orderly.cdc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import redis.embedded.RedisServer;

/**
 * One real Redis for the projector's tests in this JVM: the embedded server the application
 * starts by default, on a free port and without persistence, stopped when the JVM exits. Test
 * classes isolate themselves by database.
 */
public final class TestRedis {

    private static final int PORT = start();

    private TestRedis() {
    }

    /** A client on {@code database}, emptied first. */
    public static RedisClient emptyDatabase(int database) {
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(PORT).withDatabase(database).build());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().flushdb();
        }
        return client;
    }

    /** A connection to {@code database}, emptied first, closed with its client. */
    public static Connection connect(int database) {
        RedisClient client = emptyDatabase(database);
        return new Connection(client, client.connect());
    }

    /** A connection and the client it came from. */
    public record Connection(RedisClient client, StatefulRedisConnection<String, String> connection) implements AutoCloseable {

        public RedisCommands<String, String> sync() {
            return connection.sync();
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown();
        }
    }

    private static int start() {
        try {
            int port = freePort();
            RedisServer server = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    // Drain the server's output, or it blocks once the pipe is full.
                    .soutListener(line -> { })
                    .serrListener(System.err::println)
                    .build();
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.stop();
                }
                catch (IOException e) {
                    // The JVM is exiting; the server process goes with it.
                }
            }));
            return port;
        }
        catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded Redis", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
