package io.orderly.projection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.KafkaShape;
import io.orderly.cdc.readmodel.ProjectorStatus;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.cdc.supervision.ProjectorSupervisor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Kafka shape ({@link KafkaShape}) with one SQL statement over more rows than the projector
 * holds: its rows, spread over the partitions of the table topic, are staged in parts as they
 * arrive, and readers see the transaction all at once or not at all, also after the projector
 * failed half-way through staging and was restarted, and when its rows are read again without its END.
 */
class KafkaLargeTransactionIntegrationTests {

    private static final String TRANSACTIONS = KafkaShape.TOPIC_PREFIX + ".transaction";

    private JdbcClient jdbc;
    private ProjectorSupervisor projector;
    private ReadModelCheck check;
    private MeterRegistry meters;
    private RedisCommands<String, String> redis;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void kafkaShape() {
        jdbc = KafkaShape.application().getBean(JdbcClient.class);
        projector = KafkaShape.application().getBean(ProjectorSupervisor.class);
        check = KafkaShape.application().getBean(ReadModelCheck.class);
        meters = KafkaShape.application().getBean(MeterRegistry.class);
        redis = KafkaShape.application().getBean("readModelConnection", StatefulRedisConnection.class).sync();
        // Past the connector's snapshot (which would carry the rows as snapshot rows) and any restart.
        await().atMost(Duration.ofSeconds(120)).until(() -> projector.state() == ProjectorStatus.State.STREAMING);
    }

    @AfterEach
    void fixedAndStreaming() {
        BulkCustomers.fixedAndRunning(projector);
    }

    @Test
    void readersSeeABulkInsertAndABulkUpdateReadFromKafkaAllAtOnceOrNotAtAll() throws Exception {
        BulkCustomers bulk = new BulkCustomers(jdbc, redis);
        double staged = LargeTransactionIntegrationTests.stagedTransactions(meters);

        bulk.insertSeenWhole();
        bulk.renameSeenWhole();

        await().atMost(Duration.ofSeconds(10)).until(() -> LargeTransactionIntegrationTests.stagedTransactions(meters) == staged + 2);
        assertThat(redis.keys(ReadModelKeys.STAGING + "*")).isEmpty();
        assertThat(check.differences()).isEmpty();
    }

    @Test
    void aStagedTransactionReadAgainFromOffsetsStoredBeforeItChangesNothing() throws Exception {
        BulkCustomers bulk = new BulkCustomers(jdbc, redis);
        Stopped stopped = insertThenStop(bulk);

        // As if the projector had died between applying the transaction and storing its offsets.
        redis.hset(ReadModelKeys.KAFKA_OFFSETS, stopped.before());
        projector.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> readPast(stopped.after()));
        bulk.assertAppliedOnce();
        assertThat(LargeTransactionIntegrationTests.stagedTransactions(meters)).isEqualTo(stopped.staged());
        assertThat(check.differences()).isEmpty();
    }

    @Test
    void anAppliedTransactionsRowsReadAgainWithoutItsEndAreDroppedByTheirLastCommitAndTheStreamGoesOn() throws Exception {
        BulkCustomers bulk = new BulkCustomers(jdbc, redis);
        Stopped stopped = insertThenStop(bulk);

        // As if the connector had written the batch again and the projector had read its END, then
        // restarted before its rows: the table partitions go back to before the batch, the transaction topic does not.
        Map<String, String> rowsAgain = new HashMap<>(stopped.before());
        rowsAgain.remove(TRANSACTIONS + ":0");
        redis.hset(ReadModelKeys.KAFKA_OFFSETS, rowsAgain);
        projector.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> readPast(stopped.after()));
        bulk.assertAppliedOnce();
        BulkCustomers next = new BulkCustomers(jdbc, redis);
        next.insertSeenWhole();
        next.assertAppliedOnce();
        assertThat(LargeTransactionIntegrationTests.stagedTransactions(meters)).as("only the next batch is staged")
                .isEqualTo(stopped.staged() + 1);
        assertThat(check.differences()).isEmpty();
        assertThat(rowsNamingAnotherCommitThanTheEndBeforeTheirs()).isEmpty();
    }

    /**
     * Every record of the topics read from their start: the transactions whose rows name, as the
     * last commit in their {@code source.sequence}, another position than that of the END before
     * their own (the first transaction, which follows the snapshot, aside). The projector's Kafka
     * source counts on it to tell an applied transaction by its rows.
     */
    private static List<String> rowsNamingAnotherCommitThanTheEndBeforeTheirs() {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "true"), false);
        Map<Long, Long> ends = new HashMap<>();
        Map<Long, Set<String>> lastCommits = new HashMap<>();
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
                        if (record.topic().equals(TRANSACTIONS) && "END".equals(value.getString("status"))) {
                            String[] id = value.getString("id").split(":");
                            ends.putIfAbsent(Long.parseLong(id[0]), Long.parseLong(id[1]));
                        }
                        else if (!record.topic().equals(TRANSACTIONS) && value.getStruct("transaction") != null) {
                            long txId = Long.parseLong(value.getStruct("transaction").getString("id").split(":")[0]);
                            String sequence = value.getStruct("source").getString("sequence");
                            lastCommits.computeIfAbsent(txId, ignored -> new HashSet<>()).add(sequence.substring(1, sequence.indexOf(',')).replace("\"", ""));
                        }
                    }
                }
            }
        }
        List<Map.Entry<Long, Long>> inOrder = ends.entrySet().stream().sorted(Map.Entry.comparingByValue()).toList();
        List<String> others = new ArrayList<>();
        for (int i = 1; i < inOrder.size(); i++) {
            Set<String> named = lastCommits.getOrDefault(inOrder.get(i).getKey(), Set.of());
            String expected = Long.toString(inOrder.get(i - 1).getValue());
            if (!named.isEmpty() && !named.equals(Set.of(expected))) {
                others.add("transaction " + inOrder.get(i).getKey() + " names " + named + ", the END before it is at " + expected);
            }
        }
        assertThat(lastCommits.keySet()).as("rows of streamed transactions were read").isNotEmpty();
        return others;
    }

    /** Inserts the batch, then stops the projector once it applied it. */
    private Stopped insertThenStop(BulkCustomers bulk) throws Exception {
        Map<String, String> before = redis.hgetall(ReadModelKeys.KAFKA_OFFSETS);
        bulk.insertSeenWhole();
        projector.stop();
        return new Stopped(before, redis.hgetall(ReadModelKeys.KAFKA_OFFSETS), LargeTransactionIntegrationTests.stagedTransactions(meters));
    }

    /** The offsets stored before and after a batch, and how many transactions were staged by then. */
    private record Stopped(Map<String, String> before, Map<String, String> after, double staged) {
    }

    /** Whether the projector stored, for every partition, an offset at or past the one given. */
    private boolean readPast(Map<String, String> offsets) {
        Map<String, String> stored = redis.hgetall(ReadModelKeys.KAFKA_OFFSETS);
        return offsets.entrySet().stream().allMatch(offset -> stored.containsKey(offset.getKey())
                && Long.parseLong(stored.get(offset.getKey())) >= Long.parseLong(offset.getValue()));
    }

    @Test
    void aProjectorThatFailedHalfWayThroughStagingReadsTheTransactionAgainFromItsStartAndAppliesItOnce() {
        new BulkCustomers(jdbc, redis).failHalfWayThroughStagingThenApplyWhole(projector);

        assertThat(check.differences()).isEmpty();
    }
}
