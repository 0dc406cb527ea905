package io.orderly.cdc.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The partitions a Kafka source reads: those of the captured tables' topics and of the transaction topic. */
final class TopicPartitions {

    private static final Logger log = LoggerFactory.getLogger(TopicPartitions.class);

    private final String slotName;
    private final KafkaSourceSettings settings;
    private final List<String> tables;

    TopicPartitions(String slotName, KafkaSourceSettings settings, List<String> tables) {
        this.slotName = slotName;
        this.settings = settings;
        this.tables = tables;
    }

    /**
     * Assigns the partitions of the expected topics not read yet, each from its stored offset or
     * from the beginning of the topic.
     *
     * @return whether every expected topic exists
     */
    boolean assignNew(KafkaConsumer<byte[], byte[]> reading, Set<TopicPartition> assigned,
            Map<TopicPartition, Long> stored) {
        Map<String, List<PartitionInfo>> topics = reading.listTopics(Duration.ofSeconds(10));
        List<String> expected = new ArrayList<>(tables.stream().map(settings::tableTopic).toList());
        expected.add(settings.transactionTopic());
        List<TopicPartition> added = new ArrayList<>();
        for (String topic : expected) {
            List<PartitionInfo> partitions = topics.getOrDefault(topic, List.of());
            if (topic.equals(settings.transactionTopic()) && partitions.size() > 1) {
                throw new IllegalStateException("The transaction topic '" + topic + "' has " + partitions.size()
                        + " partitions; it must have one, which keeps the transactions in commit order");
            }
            for (PartitionInfo info : partitions) {
                TopicPartition partition = new TopicPartition(info.topic(), info.partition());
                if (assigned.add(partition)) {
                    added.add(partition);
                }
            }
        }
        if (!added.isEmpty()) {
            refuseTruncatedLog(reading, added.stream().filter(partition -> !stored.containsKey(partition)).toList());
            reading.assign(assigned);
            for (TopicPartition partition : added) {
                Long offset = stored.get(partition);
                if (offset != null) {
                    reading.seek(partition, offset);
                }
                else {
                    reading.seekToBeginning(List.of(partition));
                }
            }
            log.info("Slot '{}' now reads {} partitions ({} new)", slotName, assigned.size(), added.size());
        }
        return expected.stream().allMatch(topics::containsKey);
    }

    /**
     * Read models built from a log that lost its beginning (retention, compaction) would lack what
     * it held: a partition read for the first time must still start at offset 0.
     */
    private static void refuseTruncatedLog(KafkaConsumer<byte[], byte[]> reading, List<TopicPartition> fromTheBeginning) {
        if (fromTheBeginning.isEmpty()) {
            return;
        }
        List<TopicPartition> truncated = reading.beginningOffsets(fromTheBeginning, Duration.ofSeconds(10)).entrySet().stream()
                .filter(beginning -> beginning.getValue() > 0)
                .map(Map.Entry::getKey)
                .toList();
        if (!truncated.isEmpty()) {
            throw new IllegalStateException("The read models must be built from the beginning of the topics, but " + truncated
                    + " no longer start at offset 0; keep the connector's topics without retention limits, or have the "
                    + "connector take a new snapshot into new topics (see docs/kafka.md)");
        }
    }
}
