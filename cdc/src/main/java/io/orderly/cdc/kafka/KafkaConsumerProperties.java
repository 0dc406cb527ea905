package io.orderly.cdc.kafka;

import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The consumer a Kafka source reads with: no group and no commits (the offsets live in Redis), read
 * committed (a connector with exactly-once delivery writes in Kafka transactions), bytes decoded by
 * the source itself.
 */
final class KafkaConsumerProperties {

    private KafkaConsumerProperties() {
    }

    /** @throws IllegalArgumentException when a pass-through property would override one the source sets */
    static Properties of(KafkaSourceSettings settings, String slot) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "orderly-projector-" + slot);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        for (Map.Entry<String, String> extra : settings.consumer().entrySet()) {
            if (properties.containsKey(extra.getKey()) || extra.getKey().equals(ConsumerConfig.GROUP_ID_CONFIG)) {
                throw new IllegalArgumentException("orderly.projector.kafka.consumer." + extra.getKey()
                        + " cannot be set: the projector's Kafka source sets it itself, or keeps its offsets without a group");
            }
            properties.put(extra.getKey(), extra.getValue());
        }
        return properties;
    }
}
