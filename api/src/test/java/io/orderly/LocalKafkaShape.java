package io.orderly;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs the Kafka shape on this machine with nothing but Java and Maven, for a try (docs/kafka.md):
 * a single-node Kafka broker (on a free port, printed once all is up), Orderly on port 8080 with its projector reading Kafka,
 * and a Kafka Connect worker running Debezium's PostgreSQL connector, all in one JVM. Everything
 * starts from scratch each run: the data, the broker's log with it, lives in {@code api/data-kafka},
 * emptied first. Stop with Ctrl-C.
 *
 * <pre>./mvnw -B -pl api -am spring-boot:test-run -Dspring-boot.run.main-class=io.orderly.LocalKafkaShape</pre>
 */
public final class LocalKafkaShape {

    private LocalKafkaShape() {
    }

    public static void main(String[] arguments) throws IOException {
        Path data = Path.of("data-kafka");
        if (Files.exists(data)) {
            try (Stream<Path> files = Files.walk(data)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        String[] all = Stream.concat(Stream.of("--server.port=8080"), Stream.of(arguments)).toArray(String[]::new);
        KafkaShape.start(data, 0, false, List.of(), all);
        System.out.println("Orderly on http://localhost:8080/graphiql, its projector reading Kafka at " + KafkaShape.brokers()
                + " (topics " + KafkaShape.TOPIC_PREFIX + ".*), fed by Debezium in Kafka Connect. Ctrl-C stops everything.");
    }
}
