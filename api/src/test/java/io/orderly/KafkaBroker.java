package io.orderly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka, broker and controller in one server as {@code kafka-server-start}
 * runs it, that can be stopped and started again: on the same ports and over the same log
 * directory, formatted once, so that its clients reconnect to the same address and find the
 * topics and records they left.
 */
final class KafkaBroker {

    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);

    private static final int NODE_ID = 1;

    private final int port;
    private final Map<String, Object> config = new HashMap<>();
    private KafkaRaftServer server;

    /** Formats {@code directory} for a new cluster; the broker listens on {@code port}, any free one when 0. */
    KafkaBroker(Path directory, int port) {
        this.port = port == 0 ? freePort() : port;
        int controllerPort = freePort();
        while (controllerPort == this.port) {
            controllerPort = freePort();
        }
        String logDir = directory.toAbsolutePath().resolve("log").toString();
        config.put("process.roles", "broker,controller");
        config.put("node.id", Integer.toString(NODE_ID));
        config.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        config.put("listeners", "PLAINTEXT://localhost:" + this.port + ",CONTROLLER://localhost:" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://localhost:" + this.port);
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("controller.listener.names", "CONTROLLER");
        config.put("log.dirs", logDir);
        config.put("offsets.topic.replication.factor", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        try {
            Files.createDirectories(Path.of(logDir));
            new Formatter()
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .addDirectory(logDir)
                    .setMetadataLogDirectory(logDir)
                    .setControllerListenerName("CONTROLLER")
                    .setPrintStream(System.out)
                    .run();
        }
        catch (Exception e) {
            throw new IllegalStateException("Could not format the broker's log directory " + logDir, e);
        }
        // A fatal fault would halt the test JVM, and every test with it.
        Exit.setExitProcedure((status, message) -> log.error("Kafka asked to exit ({}): {}", status, message));
        Exit.setHaltProcedure((status, message) -> log.error("Kafka asked to halt ({}): {}", status, message));
    }

    /** Starts the server and returns once its broker is registered and unfenced, ready for clients. */
    synchronized void start() {
        server = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
        server.startup();
    }

    /** Stops the server as a SIGTERM would: a controlled shutdown, the logs flushed and closed. */
    synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    String bootstrapServers() {
        return "localhost:" + port;
    }

    /**
     * A free port below the ephemeral range (32768 and up on Linux, 49152 on macOS): while the
     * broker is down, a client reconnecting to a port in that range can be handed the same port
     * for its own end, connect to itself and hold the port the broker must listen on again.
     */
    private static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("localhost", candidate));
                return candidate;
            }
            catch (IOException taken) {
                // Try another.
            }
        }
        throw new UncheckedIOException(new IOException("No free port between 20000 and 32000"));
    }
}
