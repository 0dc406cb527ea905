package io.orderly.cdc.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.orderly.cdc.assembly.SourceTransaction;
import io.orderly.cdc.assembly.TransactionPart;
import io.orderly.cdc.pipeline.ChangeSource;
import io.orderly.cdc.pipeline.SourceProgress;
import io.orderly.cdc.pipeline.TransactionSink;
import io.orderly.cdc.readmodel.ProjectorStatus.State;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.cdc.readmodel.SnapshotProgress;
import io.orderly.cdc.readmodel.Watermark;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A change source reading the topics a Debezium PostgreSQL connector writes in Kafka Connect: the
 * table topics and the transaction topic, on one consumer thread. Records are decoded with Connect's
 * own JSON converter (the connector writes JSON with schemas), so a change arrives as the same
 * {@link Struct} the embedded engine hands over, and {@link TransactionReassembler} puts the
 * transactions back together. A transaction too large to hold is staged in parts as its rows
 * arrive, and the partitions that run ahead of it are paused meanwhile, so that memory stays bounded.
 *
 * <p>Progress: the consumer belongs to no group and commits nothing to Kafka. After the sink has
 * taken what a poll completed, the offsets to read again from ({@link KafkaOffsets}) are written to
 * the Redis database of the read models they describe, and a new source seeks to them (those of a
 * transaction being staged stay at its first rows until it is applied), with the highest commit known of a
 * streamed transaction applied, by which its reassembler tells a transaction written again by its
 * rows. They are written after the read models, not with them: a crash in between replays transactions the
 * watermark already covers, which the applier skips, so nothing is lost or applied twice; and
 * keeping them in Redis rather than in a consumer group means they live and die with the read
 * models (a rebuild's generation has its own, a fresh start reads the topics from their beginning)
 * and need no change to what the sink is told.
 *
 * <p>The watermark, the consistency tokens and the change feed see the same positions as with the
 * embedded engine: a transaction's position is that of its commit in the WAL, taken from the id of
 * its END event ({@code "<txId>:<lsn>"}).
 */
final class KafkaSource implements ChangeSource {

    private static final Logger log = LoggerFactory.getLogger(KafkaSource.class);

    /** The most transactions handed to the sink at once, which applies them in one MULTI/EXEC. */
    static final int MAX_GROUP = 200;

    /** How often the source looks for topics it does not read yet (Debezium creates a table's topic with its first row). */
    private static final Duration LOOKUP_WHILE_MISSING = Duration.ofSeconds(1);
    private static final Duration LOOKUP_OTHERWISE = Duration.ofSeconds(30);

    private final String slotName;
    private final KafkaSourceSettings settings;
    private final String redisUri;
    private final List<String> tables;
    private final TransactionSink sink;
    private final Listener listener;
    private final SourceProgress progress;
    private final Clock clock;
    private final ConsumerMetrics metrics;
    private final JsonConverter converter = new JsonConverter();
    private final TopicPartitions partitions;
    private final int stagingThreshold;
    /** The partitions this source paused because they ran ahead of the transaction being staged. */
    private Set<TopicPartition> ahead = Set.of();

    private volatile boolean closing;
    private volatile @Nullable KafkaConsumer<byte[], byte[]> consumer;
    private @Nullable ExecutorService thread;
    private @Nullable Future<?> run;

    /** @param redisUri the Redis database of the read models this source feeds, which keeps its offsets */
    KafkaSource(String slotName, KafkaSourceSettings settings, String redisUri, List<String> tables, TransactionSink sink,
            Clock clock, Listener listener, @Nullable SnapshotProgress snapshot, ConsumerMetrics metrics, int stagingThreshold) {
        this.slotName = slotName;
        this.stagingThreshold = stagingThreshold;
        this.settings = settings;
        this.redisUri = redisUri;
        this.tables = List.copyOf(tables);
        this.partitions = new TopicPartitions(slotName, settings, this.tables);
        this.sink = sink;
        this.clock = clock;
        this.metrics = metrics;
        this.listener = listener;
        this.progress = new SourceProgress(slotName, clock, listener, snapshot);
        converter.configure(Map.of("schemas.enable", "true"), false);
    }

    @Override
    public void start() {
        thread = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "orderly-projector-kafka-" + slotName));
        run = thread.submit(this::run);
    }

    @Override
    public void close() {
        closing = true;
        KafkaConsumer<byte[], byte[]> reading = consumer;
        if (reading != null) {
            reading.wakeup();
        }
        if (thread != null) {
            thread.shutdown();
            try {
                if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                    log.warn("The Kafka source of slot '{}' did not stop within 30 s", slotName);
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return run != null && !run.isDone();
    }

    @Override
    public String slotName() {
        return slotName;
    }

    @Override
    public State state() {
        return progress.state();
    }

    @Override
    public @Nullable SnapshotProgress snapshot() {
        return progress.snapshot();
    }

    private void run() {
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> redis = client.connect();
                KafkaConsumer<byte[], byte[]> reading = new KafkaConsumer<>(KafkaConsumerProperties.of(settings, slotName));
                AutoCloseable published = metrics.bind(reading)) {
            consumer = reading;
            if (closing) {
                return;
            }
            sink.open();
            KafkaOffsets offsets = new KafkaOffsets(redis.sync());
            Map<TopicPartition, Long> stored = offsets.load();
            long applied = Watermark.fromHash(redis.sync().hgetall(ReadModelKeys.WATERMARK)).position();
            log.info("Reading Kafka topics '{}.*' for slot '{}' from {} stored offsets, after position {}",
                    settings.topicPrefix(), slotName, stored.size(), applied);
            SnapshotProgress snapshot = progress.snapshot();
            SnapshotPhase phase = new SnapshotPhase(snapshot != null && snapshot.completedAt() == null, settings.transactionTopic());
            TransactionReassembler reassembler = new TransactionReassembler(tables, applied, offsets.appliedCommit(), stagingThreshold);
            stream(reading, offsets, stored, reassembler, phase);
        }
        catch (Exception e) {
            // Closing wakes the consumer up, or the parked sink refuses: neither is a failure then.
            if (!closing) {
                listener.failed(e);
            }
        }
        finally {
            client.shutdown();
        }
    }

    private void stream(KafkaConsumer<byte[], byte[]> reading, KafkaOffsets offsets, Map<TopicPartition, Long> stored,
            TransactionReassembler reassembler, SnapshotPhase phase) throws InterruptedException {
        Set<TopicPartition> assigned = new HashSet<>();
        Instant nextLookup = Instant.EPOCH;
        while (!closing) {
            if (!clock.instant().isBefore(nextLookup)) {
                boolean complete = partitions.assignNew(reading, assigned, stored);
                nextLookup = clock.instant().plus(complete ? LOOKUP_OTHERWISE : LOOKUP_WHILE_MISSING);
            }
            if (assigned.isEmpty()) {
                Thread.sleep(settings.pollTimeout().toMillis());
                continue;
            }
            for (ConsumerRecord<byte[], byte[]> record : reading.poll(settings.pollTimeout())) {
                if (record.value() != null) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    Struct value = decode(record);
                    phase.read(partition, value, reading);
                    reassembler.accept(partition, record.offset(), value);
                }
            }
            if (phase.active()) {
                for (SourceTransaction chunk : reassembler.releaseSnapshot()) {
                    deliverChunk(phase.chunk(chunk));
                }
                Optional<SourceTransaction> completion = phase.end(reading, assigned);
                if (completion.isPresent()) {
                    deliverChunk(completion.get());
                }
            }
            if (!phase.active()) {
                deliver(reassembler);
                pace(reading, reassembler.ahead());
            }
            Map<TopicPartition, Long> next = new HashMap<>();
            for (TopicPartition partition : assigned) {
                next.put(partition, reading.position(partition));
            }
            offsets.save(reassembler.resumeOffsets(next), reassembler.appliedCommit());
        }
    }

    private Struct decode(ConsumerRecord<byte[], byte[]> record) {
        SchemaAndValue decoded = converter.toConnectData(record.topic(), record.value());
        if (!(decoded.value() instanceof Struct value)) {
            throw new IllegalStateException("A record of " + record.topic() + " is not a change event with its schema: the "
                    + "connector must write JSON with schemas (value.converter.schemas.enable=true)");
        }
        return value;
    }

    /**
     * Hands the sink what the reassembler completed, and the parts of the transaction it stages,
     * until neither is left: every transaction before a part is accepted before the part is staged.
     */
    private void deliver(TransactionReassembler reassembler) throws InterruptedException {
        while (true) {
            deliver(reassembler.release());
            Optional<TransactionPart> part = reassembler.nextPart();
            if (part.isEmpty()) {
                return;
            }
            sink.stage(part.get());
        }
    }

    /** Pauses the partitions that ran ahead, and resumes those this source paused that no longer are. */
    private void pace(KafkaConsumer<byte[], byte[]> reading, Set<TopicPartition> runAhead) {
        Set<TopicPartition> resumed = new HashSet<>(ahead);
        resumed.removeAll(runAhead);
        reading.resume(resumed);
        reading.pause(runAhead);
        if (!runAhead.equals(ahead)) {
            log.debug("Partitions paused while the transaction being staged catches up: {}", runAhead);
        }
        ahead = Set.copyOf(runAhead);
    }

    /** Hands the sink snapshot chunks one by one and transactions in groups, in the order given. */
    private void deliver(List<SourceTransaction> complete) throws InterruptedException {
        List<SourceTransaction> group = new ArrayList<>();
        for (SourceTransaction transaction : complete) {
            if (transaction.snapshot()) {
                applyGroup(group);
                deliverChunk(transaction);
            }
            else {
                group.add(transaction);
                if (group.size() >= MAX_GROUP) {
                    applyGroup(group);
                }
            }
        }
        applyGroup(group);
    }

    private void deliverChunk(SourceTransaction chunk) throws InterruptedException {
        progress.enter(State.SNAPSHOTTING);
        sink.accept(List.of(chunk));
        progress.snapshotAdvanced(chunk);
    }

    private void applyGroup(List<SourceTransaction> group) throws InterruptedException {
        if (!group.isEmpty()) {
            sink.accept(List.copyOf(group));
            group.clear();
            progress.enter(State.STREAMING);
        }
    }
}
