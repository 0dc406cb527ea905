package io.orderly.cdc.source;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.lettuce.core.api.StatefulRedisConnection;
import io.orderly.cdc.apply.ApplyObserver;
import io.orderly.cdc.apply.TransactionApplier;
import io.orderly.cdc.assembly.SourceTransaction;
import io.orderly.cdc.assembly.TransactionAssembler;
import io.orderly.cdc.readmodel.Lsn;
import io.orderly.cdc.readmodel.ProjectorStatus.State;
import io.orderly.cdc.readmodel.SnapshotProgress;
import org.apache.kafka.connect.source.SourceRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Debezium engine, on a thread of its own, reading one replication slot and applying what it
 * reads to the read models of one Redis database. Records are grouped into source transactions;
 * offsets are marked only after the transactions they belong to are in Redis, so a crash replays
 * rather than loses, and the watermark makes the replay harmless.
 *
 * <p>Closing first parks the engine: it finishes the apply in flight and starts no other, so that
 * no Redis command is cut off half-way (Debezium interrupts the engine's thread when it stops) and
 * {@link #position()} is final. The engine owns its Redis connection and closes it too.
 *
 * <p>The projector's supervisor runs one engine for the read models being served and, during a
 * rebuild, a second one that builds the next generation beside them. That second engine writes no
 * change feed and never gets ahead of the first (its {@code ceiling}), so that when it takes over,
 * the feed already holds every transaction it has applied and none it has not.
 */
public final class DebeziumSource {

    private static final Logger log = LoggerFactory.getLogger(DebeziumSource.class);

    /** The most transactions applied in one MULTI/EXEC. */
    static final int MAX_GROUP = 200;

    /** What the engine tells the projector that runs it. Called on the engine's thread. */
    public interface Listener {

        void stateChanged(DebeziumSource engine, State state);

        void snapshotProgressed(DebeziumSource engine, SnapshotProgress progress);

        /** The engine stopped on an error, or its batch could not be applied; not called once {@link #close()} began. */
        void failed(DebeziumSource engine, Throwable error);
    }

    private final String slotName;
    private final Properties properties;
    private final StatefulRedisConnection<String, String> connection;
    private final TransactionApplier applier;
    private final Clock clock;
    private final ApplyObserver observer;
    private final Listener listener;
    private final @Nullable LongSupplier ceiling;

    private volatile State state = State.STARTING;
    private volatile @Nullable SnapshotProgress snapshot;
    /** Held while applying to Redis: parking waits for it. */
    private final ReentrantLock applying = new ReentrantLock();
    private volatile boolean parked;
    private volatile boolean closing;
    private volatile boolean waitingAtCeiling;
    private Instant lastProgressLog = Instant.EPOCH;
    private @Nullable DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private @Nullable ExecutorService thread;
    private @Nullable Future<?> run;
    private final TransactionAssembler assembler = new TransactionAssembler();
    /** Records of the transaction being assembled. */
    private final List<RecordChangeEvent<SourceRecord>> unmarked = new ArrayList<>();
    /** Transactions complete but not yet applied, and the records up to their ends. */
    private final List<SourceTransaction> completedTransactions = new ArrayList<>();
    private final List<RecordChangeEvent<SourceRecord>> completedRecords = new ArrayList<>();

    /**
     * @param connection the connection {@code applier} writes on, closed with the engine
     * @param snapshot the progress of the snapshot this engine is about to take, or null when it
     * resumes a stream
     * @param ceiling for an engine building a new generation: the serving engine's position, which
     * this one waits at rather than passes; null for the serving engine
     */
    public DebeziumSource(String slotName, Properties properties, StatefulRedisConnection<String, String> connection,
            TransactionApplier applier, Clock clock, ApplyObserver observer, Listener listener,
            @Nullable SnapshotProgress snapshot, @Nullable LongSupplier ceiling) {
        this.slotName = slotName;
        this.properties = properties;
        this.connection = connection;
        this.applier = applier;
        this.clock = clock;
        this.observer = observer;
        this.listener = listener;
        this.snapshot = snapshot;
        this.ceiling = ceiling;
    }

    public void start() {
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(properties)
                .notifying(this::handleBatch)
                .using((success, message, error) -> {
                    if (!success && !closing) {
                        listener.failed(this, error != null ? error : new IllegalStateException(message));
                    }
                })
                .build();
        thread = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "orderly-projector-" + slotName));
        run = thread.submit(engine);
    }

    /**
     * Finishes the apply in flight, if any, and applies nothing more: the position is final once
     * this returns. Records not applied yet stay unmarked, for the next engine on this slot.
     */
    public void park() {
        parked = true;
        applying.lock();
        applying.unlock();
    }

    /** Parks, then stops the engine and closes its connection. */
    public void close() {
        park();
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
        if (connection.isOpen()) {
            connection.close();
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

    public boolean isRunning() {
        return run != null && !run.isDone();
    }

    public String slotName() {
        return slotName;
    }

    public State state() {
        return state;
    }

    /** WAL position of the last transaction applied (0 before the first). */
    public long position() {
        return applier.watermark().position();
    }

    public @Nullable SnapshotProgress snapshot() {
        return snapshot;
    }

    public boolean snapshotComplete() {
        SnapshotProgress progress = snapshot;
        return state == State.STREAMING && (progress == null || progress.completedAt() != null);
    }

    /** Whether this engine has applied everything up to its ceiling and waits for the serving engine to move. */
    public boolean waitingAtCeiling() {
        return waitingAtCeiling;
    }

    /**
     * Applies the transactions a batch of records completes, grouped (at most
     * {@value #MAX_GROUP} to one MULTI/EXEC), and marks their records processed once they are in
     * Redis. Records of a transaction that the batch does not finish stay unmarked until a later
     * batch completes it.
     */
    private void handleBatch(List<RecordChangeEvent<SourceRecord>> events,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        try {
            for (RecordChangeEvent<SourceRecord> event : events) {
                if (assembler.hasSnapshotRows() && !TransactionAssembler.isSnapshotRow(event.record())) {
                    // The snapshot ends here: its rows go in before anything streamed after them.
                    applySnapshotChunk(committer);
                }
                unmarked.add(event);
                var completed = assembler.accept(event.record());
                if (completed.isPresent()) {
                    enter(State.STREAMING);
                    completedTransactions.add(completed.get());
                    completedRecords.addAll(unmarked);
                    unmarked.clear();
                    if (completedTransactions.size() >= MAX_GROUP) {
                        applyCompleted(committer);
                    }
                }
                else if (!assembler.inTransaction() && !assembler.hasSnapshotRows()) {
                    // Heartbeats and other records outside transactions carry offsets only.
                    if (state == State.STARTING) {
                        enter(State.STREAMING);
                    }
                    completedRecords.addAll(unmarked);
                    unmarked.clear();
                }
            }
            if (assembler.hasSnapshotRows()) {
                applySnapshotChunk(committer);
            }
            applyCompleted(committer);
            committer.markBatchFinished();
        }
        catch (RuntimeException e) {
            if (!closing) {
                listener.failed(this, e);
            }
            throw e;
        }
    }

    private void applyCompleted(DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        if (!completedTransactions.isEmpty()) {
            List<SourceTransaction> group = List.copyOf(completedTransactions);
            try {
                long started = System.nanoTime();
                List<SourceTransaction> applied = applyBelowCeiling(group);
                long nanos = System.nanoTime() - started;
                Instant appliedAt = clock.instant();
                applied.forEach(transaction -> observer.applied(transaction, nanos / applied.size(), appliedAt));
            }
            catch (RuntimeException e) {
                if (closing) {
                    throw e;
                }
                throw cannotApply(group, e);
            }
            completedTransactions.clear();
        }
        for (RecordChangeEvent<SourceRecord> record : completedRecords) {
            committer.markProcessed(record);
        }
        completedRecords.clear();
    }

    /**
     * Applies the group, without ever passing the ceiling: transactions above it wait until the
     * serving engine has applied them too. Nothing is marked until the whole group is in, so an
     * engine closed while it waits replays the group, and the watermark skips what it had applied.
     */
    private List<SourceTransaction> applyBelowCeiling(List<SourceTransaction> group) throws InterruptedException {
        if (ceiling == null) {
            return whileNotParked(() -> applier.applyAll(group));
        }
        List<SourceTransaction> applied = new ArrayList<>();
        int next = 0;
        while (next < group.size()) {
            long limit = ceiling.getAsLong();
            int end = next;
            while (end < group.size() && group.get(end).position() <= limit) {
                end++;
            }
            if (end > next) {
                List<SourceTransaction> below = group.subList(next, end);
                applied.addAll(whileNotParked(() -> applier.applyAll(below)));
                next = end;
                continue;
            }
            waitingAtCeiling = true;
            if (closing) {
                throw new InterruptedException("engine on slot '" + slotName + "' closed while waiting for the serving engine");
            }
            Thread.sleep(10);
        }
        waitingAtCeiling = false;
        return applied;
    }

    private void applySnapshotChunk(DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        enter(State.SNAPSHOTTING);
        SourceTransaction chunk = assembler.drainSnapshotChunk().orElseThrow();
        apply(chunk);
        for (RecordChangeEvent<SourceRecord> event : unmarked) {
            committer.markProcessed(event);
        }
        unmarked.clear();
        snapshotAdvanced(chunk);
    }

    /**
     * Runs an apply unless the engine is parked; a parked engine waits here, with nothing in flight,
     * until it is closed.
     */
    private <T> T whileNotParked(Supplier<T> apply) throws InterruptedException {
        applying.lock();
        try {
            if (!parked) {
                return apply.get();
            }
        }
        finally {
            applying.unlock();
        }
        while (!closing) {
            Thread.sleep(10);
        }
        throw new InterruptedException("engine on slot '" + slotName + "' closed");
    }

    private void apply(SourceTransaction transaction) throws InterruptedException {
        try {
            long started = System.nanoTime();
            if (whileNotParked(() -> applier.apply(transaction))) {
                observer.applied(transaction, System.nanoTime() - started, clock.instant());
            }
        }
        catch (RuntimeException e) {
            if (closing) {
                throw e;
            }
            throw cannotApply(List.of(transaction), e);
        }
    }

    /**
     * The error the projector's status shows, logged with the transactions and positions also as
     * key-value pairs, which structured logging ({@code logging.structured.format.console}) emits as fields.
     */
    private IllegalStateException cannotApply(List<SourceTransaction> transactions, RuntimeException cause) {
        SourceTransaction first = transactions.get(0);
        SourceTransaction last = transactions.get(transactions.size() - 1);
        String what = transactions.size() == 1
                ? "transaction " + first.txId() + " at position " + Lsn.format(first.position())
                : "transactions " + first.txId() + " to " + last.txId() + " (positions " + Lsn.format(first.position()) + " to "
                        + Lsn.format(last.position()) + ")";
        String message = "Cannot apply " + what + " from slot '" + slotName + "': " + cause.getMessage();
        log.atError()
                .setCause(cause)
                .addKeyValue("slot", slotName)
                .addKeyValue("firstTxId", first.txId())
                .addKeyValue("lastTxId", last.txId())
                .addKeyValue("firstPosition", Lsn.format(first.position()))
                .addKeyValue("lastPosition", Lsn.format(last.position()))
                .log("{}; the projector stops here", message);
        return new IllegalStateException(message, cause);
    }

    private void enter(State next) {
        if (state != next) {
            state = next;
            listener.stateChanged(this, next);
        }
        SnapshotProgress progress = snapshot;
        if (next == State.STREAMING && progress != null && progress.completedAt() == null) {
            // A snapshot of empty tables delivers no rows, so nothing else marks it complete.
            progress = progress.complete(clock.instant());
            snapshot = progress;
            listener.snapshotProgressed(this, progress);
        }
    }

    private void snapshotAdvanced(SourceTransaction chunk) {
        SnapshotProgress progress = snapshot;
        if (progress == null) {
            progress = SnapshotProgress.started(clock.instant(), 0);
        }
        Instant now = clock.instant();
        progress = progress.advance(chunk.changes().size());
        if (chunk.completesSnapshot()) {
            progress = progress.complete(now);
            log.info("Snapshot on slot '{}' complete at position {}: {} rows in {} s ({} rows/s)", slotName, chunk.position(),
                    progress.rowsDone(), Duration.between(progress.startedAt(), now).toSeconds(),
                    Math.round(progress.rowsPerSecond(now)));
        }
        else if (Duration.between(lastProgressLog, now).toSeconds() >= 5) {
            lastProgressLog = now;
            log.info("Snapshot on slot '{}': {} of {} rows ({} rows/s, about {} s left)", slotName, progress.rowsDone(),
                    progress.rowsTotal(), Math.round(progress.rowsPerSecond(now)), progress.etaSeconds(now));
        }
        snapshot = progress;
        listener.snapshotProgressed(this, progress);
        if (chunk.completesSnapshot()) {
            enter(State.STREAMING);
        }
    }
}
