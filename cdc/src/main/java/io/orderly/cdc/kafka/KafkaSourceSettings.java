package io.orderly.cdc.kafka;

import java.time.Duration;
import java.util.Map;

/**
 * Where a projector fed from Kafka reads: the brokers, and the topic prefix of the Debezium
 * connector that writes the topics ({@code topic.prefix}); the table topics are then
 * {@code <prefix>.public.<table>} and the transaction topic {@code <prefix>.transaction}.
 *
 * @param consumer further Kafka consumer properties (security settings, say), handed to the
 * consumer as they are; none may override one the source sets itself
 */
public record KafkaSourceSettings(String bootstrapServers, String topicPrefix, Duration pollTimeout, Map<String, String> consumer) {

    public KafkaSourceSettings {
        consumer = Map.copyOf(consumer);
    }

    String tableTopic(String table) {
        return topicPrefix + ".public." + table;
    }

    String transactionTopic() {
        return topicPrefix + ".transaction";
    }
}
