package io.orderly.cdc.apply;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.lettuce.core.api.StatefulRedisConnection;
import io.orderly.cdc.assembly.SourceTransaction;
import io.orderly.cdc.assembly.TransactionPart;
import io.orderly.cdc.pipeline.TransactionSink;
import io.orderly.cdc.readmodel.Lsn;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The sink a change source delivers to: applies what it is given through a
 * {@link TransactionApplier}, times it for the {@link ApplyObserver}, and turns a transaction that
 * cannot be applied into the error that stops the projector, naming it.
 *
 * <p>Parking finishes the apply in flight and starts no other, so that no Redis command is cut off
 * half-way and {@link #position()} is final. A writer building a new generation beside the served
 * one has a {@code ceiling}, the served generation's position, which it waits at rather than
 * passes; snapshot chunks are not held at it. The writer owns its applier's Redis connection.
 */
public final class ReadModelWriter implements TransactionSink {

    private static final Logger log = LoggerFactory.getLogger(ReadModelWriter.class);

    private final String slotName;
    private final StatefulRedisConnection<String, String> connection;
    private final TransactionApplier applier;
    private final Clock clock;
    private final ApplyObserver observer;
    private final @Nullable LongSupplier ceiling;
    /** Held while applying to Redis: parking waits for it. */
    private final ReentrantLock applying = new ReentrantLock();
    private volatile boolean parked;
    private volatile boolean stopped;
    private volatile boolean waitingAtCeiling;

    /**
     * @param slotName the slot the transactions come from, named in errors
     * @param connection the connection {@code applier} writes on, closed with the writer
     * @param ceiling for a writer building a new generation: the serving writer's position; null
     * for the serving writer
     */
    public ReadModelWriter(String slotName, StatefulRedisConnection<String, String> connection, TransactionApplier applier,
            Clock clock, ApplyObserver observer, @Nullable LongSupplier ceiling) {
        this.slotName = slotName;
        this.connection = connection;
        this.applier = applier;
        this.clock = clock;
        this.observer = observer;
        this.ceiling = ceiling;
    }

    /**
     * Readies the applier before the source delivers anything: first it finishes copying into
     * place a visible staged transaction that a projector which stopped left half-way, one step at
     * a time, so that parking stops it between two steps (the next projector goes on from there)
     * and the supervisor keeps renewing the lease meanwhile.
     */
    @Override
    public void open() throws InterruptedException {
        try {
            boolean leftOver = applier.copyingLeftOver();
            int steps = 1;
            // Stepped even when nothing was being copied a moment ago: a projector that lost its
            // lease may have just made a transaction visible.
            while (whileNotParked(applier::copyLeftOver)) {
                steps++;
            }
            if (leftOver) {
                log.info("Finished copying into place a visible staged transaction that a projector left half-way ({} steps)", steps);
            }
        }
        catch (RuntimeException e) {
            if (stopped) {
                throw e;
            }
            throw cannotApply("the rest of a visible staged transaction that a projector left half-way (copying it into place)", e,
                    log.atError());
        }
        try {
            whileNotParked(() -> {
                applier.open();
                return true;
            });
        }
        catch (RuntimeException e) {
            if (stopped) {
                throw e;
            }
            throw cannotApply("any transaction (readying the read models for the first one)", e, log.atError());
        }
    }

    @Override
    public void accept(List<SourceTransaction> transactions) throws InterruptedException {
        try {
            long started = System.nanoTime();
            List<SourceTransaction> applied = applyBelowCeiling(transactions);
            long nanos = System.nanoTime() - started;
            Instant appliedAt = clock.instant();
            applied.forEach(transaction -> observer.applied(transaction, nanos / applied.size(), appliedAt));
        }
        catch (RuntimeException e) {
            if (stopped) {
                throw e;
            }
            throw cannotApply(transactions, e);
        }
    }

    /** Stages a part of a large transaction; invisible to readers, so it is not held at the ceiling. */
    @Override
    public void stage(TransactionPart part) throws InterruptedException {
        try {
            whileNotParked(() -> {
                applier.stage(part);
                return part;
            });
        }
        catch (RuntimeException e) {
            if (stopped) {
                throw e;
            }
            throw cannotApply(part.txId(), "transaction " + part.txId() + " (staging " + part.changes().size()
                    + " of its changes)", e);
        }
    }

    /** WAL position of the last transaction applied (0 before the first). */
    public long position() {
        return applier.watermark().position();
    }

    /** Whether this writer has applied everything up to its ceiling and waits for the serving one to move. */
    public boolean waitingAtCeiling() {
        return waitingAtCeiling;
    }

    /** Finishes the apply in flight, if any, and applies nothing more: the position is final once this returns. */
    public void park() {
        parked = true;
        applying.lock();
        applying.unlock();
    }

    /** Parks, and fails with {@link InterruptedException} whatever is delivered from now on or waits at the ceiling. */
    public void stop() {
        park();
        stopped = true;
    }

    /** Closes the connection; call once the source delivering here has stopped. */
    public void close() {
        if (connection.isOpen()) {
            connection.close();
        }
    }

    /**
     * Applies the group, without ever passing the ceiling: transactions above it wait until the
     * serving writer has applied them too. The source marks nothing until the whole group is in, so
     * a source closed while this waits replays the group, and the watermark skips what was applied.
     */
    private List<SourceTransaction> applyBelowCeiling(List<SourceTransaction> group) throws InterruptedException {
        if (ceiling == null || group.stream().allMatch(SourceTransaction::snapshot)) {
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
            if (stopped) {
                throw new InterruptedException("writer for slot '" + slotName + "' stopped while waiting for the serving one");
            }
            Thread.sleep(10);
        }
        waitingAtCeiling = false;
        return applied;
    }

    /** Runs an apply unless the writer is parked; a parked writer waits here, with nothing in flight, until it is stopped. */
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
        while (!stopped) {
            Thread.sleep(10);
        }
        throw new InterruptedException("writer for slot '" + slotName + "' stopped");
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
        return cannotApply(what, cause, log.atError()
                .addKeyValue("firstTxId", first.txId())
                .addKeyValue("lastTxId", last.txId())
                .addKeyValue("firstPosition", Lsn.format(first.position()))
                .addKeyValue("lastPosition", Lsn.format(last.position())));
    }

    /** As above, for a part of a transaction whose commit position is not known yet. */
    private IllegalStateException cannotApply(long txId, String what, RuntimeException cause) {
        return cannotApply(what, cause, log.atError().addKeyValue("firstTxId", txId).addKeyValue("lastTxId", txId));
    }

    private IllegalStateException cannotApply(String what, RuntimeException cause, LoggingEventBuilder event) {
        String message = "Cannot apply " + what + " from slot '" + slotName + "': " + cause.getMessage();
        event.setCause(cause)
                .addKeyValue("slot", slotName)
                .log("{}; the projector stops here", message);
        return new IllegalStateException(message, cause);
    }
}
