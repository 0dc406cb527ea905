package io.orderly.cdc.source;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.orderly.cdc.assembly.SourceTransaction;
import io.orderly.cdc.assembly.TransactionAssembler;
import io.orderly.cdc.pipeline.ChangeSource;
import io.orderly.cdc.pipeline.SourceProgress;
import io.orderly.cdc.pipeline.TransactionSink;
import io.orderly.cdc.readmodel.ProjectorStatus.State;
import io.orderly.cdc.readmodel.SnapshotProgress;
import org.apache.kafka.connect.source.SourceRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Debezium engine, on a thread of its own, reading one replication slot: records are grouped
 * into source transactions and handed to the sink, and their offsets are marked only once the sink
 * has taken the transactions they belong to, so a crash replays rather than loses.
 *
 * <p>Debezium interrupts the engine's thread when it stops; whoever closes the source parks its
 * sink first, so that no Redis command is cut off half-way.
 */
public final class DebeziumSource implements ChangeSource {

    private static final Logger log = LoggerFactory.getLogger(DebeziumSource.class);

    /** The most transactions handed to the sink at once, which applies them in one MULTI/EXEC. */
    static final int MAX_GROUP = 200;

    private final String slotName;
    private final Properties properties;
    private final TransactionSink sink;
    private final Listener listener;

    private final SourceProgress progress;
    private volatile boolean closing;
    private @Nullable DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private @Nullable ExecutorService thread;
    private @Nullable Future<?> run;
    private final TransactionAssembler assembler;
    /** How many changes the source holds at most: of the open transaction, and of the completed ones not yet applied. */
    private final int stagingThreshold;
    private long completedChanges;
    /**
     * The last record of the transaction being assembled. Only the last record taken needs marking:
     * marking a record stores its offset, which covers every record before it, so the records
     * themselves are not held.
     */
    private @Nullable RecordChangeEvent<SourceRecord> lastUnmarked;
    /** Transactions complete but not yet applied, and the last record up to their ends. */
    private final List<SourceTransaction> completedTransactions = new ArrayList<>();
    private @Nullable RecordChangeEvent<SourceRecord> lastCompleted;

    /**
     * @param snapshot the progress of the snapshot this engine is about to take, or null when it
     * resumes a stream
     */
    DebeziumSource(String slotName, Properties properties, TransactionSink sink, Clock clock, Listener listener,
            @Nullable SnapshotProgress snapshot, int stagingThreshold) {
        this.assembler = new TransactionAssembler(stagingThreshold);
        this.stagingThreshold = stagingThreshold;
        this.slotName = slotName;
        this.properties = properties;
        this.sink = sink;
        this.listener = listener;
        this.progress = new SourceProgress(slotName, clock, listener, snapshot);
    }

    @Override
    public void start() {
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(properties)
                .notifying(this::handleBatch)
                .using((success, message, error) -> {
                    if (!success && !closing) {
                        listener.failed(error != null ? error : new IllegalStateException(message));
                    }
                })
                .build();
        thread = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "orderly-projector-" + slotName));
        DebeziumEngine<RecordChangeEvent<SourceRecord>> started = engine;
        run = thread.submit(() -> {
            if (sinkOpened()) {
                started.run();
            }
        });
    }

    /** Readies the sink before the engine reads anything; false when it cannot be, or the source was closed meanwhile. */
    private boolean sinkOpened() {
        try {
            sink.open();
            return !closing;
        }
        catch (InterruptedException e) {
            // The sink was stopped: the source is being closed.
            return false;
        }
        catch (RuntimeException e) {
            if (!closing) {
                listener.failed(e);
            }
            return false;
        }
    }

    /** Stops the engine; records the sink has not taken stay unmarked, for the next engine on this slot. */
    @Override
    public void close() {
        closing = true;
        DebeziumEngine<RecordChangeEvent<SourceRecord>> running = engine;
        // Debezium refuses to stop an engine whose task is still starting: ask again while it runs.
        for (int attempt = 1; running != null && isRunning(); attempt++) {
            try {
                running.close();
                break;
            }
            catch (Exception e) {
                if (attempt == 100) {
                    log.warn("The Debezium engine on slot '{}' would not stop", slotName, e);
                    break;
                }
                sleepQuietly(100);
            }
        }
        if (thread != null) {
            thread.shutdown();
            awaitTermination(thread);
        }
    }

    private void awaitTermination(ExecutorService executor) {
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("The Debezium engine on slot '{}' did not stop within 30 s", slotName);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

    /**
     * Hands the sink the transactions a batch of records completes, grouped (at most
     * {@value #MAX_GROUP} at once, and about as many changes as the staging threshold), and marks their records processed once the sink has taken them. Records of a transaction that the batch does not finish stay unmarked until a later
     * batch completes it.
     *
     * <p>Snapshot rows go to the sink in chunks of the staging threshold, across batches, and the
     * rest with the snapshot's last row (or before the first record streamed after it): the
     * larger a chunk, the fewer times the rows of one document (an order's lines, a product's
     * sales) are written.
     */
    private void handleBatch(List<RecordChangeEvent<SourceRecord>> events,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        try {
            for (RecordChangeEvent<SourceRecord> event : events) {
                if (assembler.hasSnapshotRows() && !TransactionAssembler.isSnapshotRow(event.record())) {
                    // The snapshot ends here: its rows go in before anything streamed after them.
                    applySnapshotChunk(committer);
                }
                lastUnmarked = event;
                var completed = assembler.accept(event.record());
                if (completed.isPresent()) {
                    progress.enter(State.STREAMING);
                    completedTransactions.add(completed.get());
                    completedChanges += completed.get().changes().size();
                    lastCompleted = lastUnmarked;
                    lastUnmarked = null;
                    if (completedTransactions.size() >= MAX_GROUP || completedChanges >= stagingThreshold || completed.get().staged()) {
                        applyCompleted(committer);
                    }
                }
                else if (!assembler.inTransaction() && !assembler.hasSnapshotRows()) {
                    // Heartbeats and other records outside transactions carry offsets only.
                    if (progress.state() == State.STARTING) {
                        progress.enter(State.STREAMING);
                    }
                    lastCompleted = lastUnmarked;
                    lastUnmarked = null;
                }
                else if (assembler.snapshotChunkReady(stagingThreshold)) {
                    applySnapshotChunk(committer);
                }
                else {
                    stagePart(committer);
                }
            }
            applyCompleted(committer);
            committer.markBatchFinished();
        }
        catch (RuntimeException e) {
            if (!closing) {
                listener.failed(e);
            }
            throw e;
        }
    }

    private void applyCompleted(DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        if (!completedTransactions.isEmpty()) {
            sink.accept(List.copyOf(completedTransactions));
            completedTransactions.clear();
            completedChanges = 0;
        }
        if (lastCompleted != null) {
            committer.markProcessed(lastCompleted);
            lastCompleted = null;
        }
    }

    /**
     * Hands the open transaction's changes to the sink to stage, once there are enough of them to
     * be worth keeping out of memory; the transactions before it go in first, as what it stages
     * reads the read models they leave. Nothing of the open transaction is marked.
     */
    private void stagePart(DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        var part = assembler.drainPart();
        if (part.isPresent()) {
            applyCompleted(committer);
            sink.stage(part.get());
        }
    }

    private void applySnapshotChunk(DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        progress.enter(State.SNAPSHOTTING);
        SourceTransaction chunk = assembler.drainSnapshotChunk().orElseThrow();
        sink.accept(List.of(chunk));
        if (lastUnmarked != null) {
            committer.markProcessed(lastUnmarked);
            lastUnmarked = null;
        }
        progress.snapshotAdvanced(chunk);
    }
}
