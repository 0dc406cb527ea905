package io.orderly;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;

import static org.assertj.core.api.Assertions.assertThat;

/** What the connector of the Kafka shape ({@link KafkaShape}) wrote, read from the topics with a consumer of its own. */
public final class KafkaRecords {

    /** The connector's transaction topic. */
    public static final String TRANSACTIONS = KafkaShape.TOPIC_PREFIX + ".transaction";

    /** The commit position of each transaction's first END, by transaction id. */
    private final Map<Long, Long> ends = new HashMap<>();
    /** The last commits ({@code source.sequence}) the streamed rows of each transaction name, by transaction id. */
    private final Map<Long, Set<String>> lastCommits = new HashMap<>();

    private KafkaRecords() {
    }

    /**
     * Every record of the topics, read from their start: the transactions whose rows name, as the
     * last commit in their {@code source.sequence}, another position than that of the END before
     * their own (the first transaction, which follows the snapshot, aside; and every copy of a
     * transaction Kafka holds twice). The projector's Kafka source counts on it to tell an applied
     * transaction by its rows.
     */
    public static List<String> rowsNamingAnotherCommitThanTheEndBeforeTheirs() {
        KafkaRecords records = new KafkaRecords();
        records.readAll();
        assertThat(records.lastCommits).as("rows of streamed transactions were read").isNotEmpty();
        List<Map.Entry<Long, Long>> inOrder = records.ends.entrySet().stream().sorted(Map.Entry.comparingByValue()).toList();
        List<String> others = new ArrayList<>();
        for (int i = 1; i < inOrder.size(); i++) {
            Set<String> named = records.lastCommits.getOrDefault(inOrder.get(i).getKey(), Set.of());
            String expected = Long.toString(inOrder.get(i - 1).getValue());
            if (!named.isEmpty() && !named.equals(Set.of(expected))) {
                others.add("transaction " + inOrder.get(i).getKey() + " names " + named + ", the END before it is at " + expected);
            }
        }
        return others;
    }

    private void readAll() {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "true"), false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", KafkaShape.brokers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.listTopics().values().stream().flatMap(List::stream)
                    .filter(info -> info.topic().startsWith(KafkaShape.TOPIC_PREFIX + "."))
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < endOffsets.get(partition))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    if (record.value() != null && converter.toConnectData(record.topic(), record.value()).value() instanceof Struct value) {
                        take(record.topic(), value);
                    }
                }
            }
        }
    }

    private void take(String topic, Struct value) {
        if (topic.equals(TRANSACTIONS) && "END".equals(value.getString("status"))) {
            String[] id = value.getString("id").split(":");
            ends.putIfAbsent(Long.parseLong(id[0]), Long.parseLong(id[1]));
        }
        else if (!topic.equals(TRANSACTIONS) && value.getStruct("transaction") != null) {
            long txId = Long.parseLong(value.getStruct("transaction").getString("id").split(":")[0]);
            // ["<lastCommitLsn>","<lsn>"]
            String sequence = value.getStruct("source").getString("sequence");
            lastCommits.computeIfAbsent(txId, ignored -> new HashSet<>()).add(sequence.substring(1, sequence.indexOf(',')).replace("\"", ""));
        }
    }
}
