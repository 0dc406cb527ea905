package io.orderly.projection;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.KafkaRecords;
import io.orderly.KafkaShape;
import io.orderly.cdc.readmodel.ProjectorStatus;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.cdc.supervision.ProjectorSupervisor;
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

    private static final String TRANSACTIONS = KafkaRecords.TRANSACTIONS;

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
        assertThat(KafkaRecords.rowsNamingAnotherCommitThanTheEndBeforeTheirs()).isEmpty();
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
