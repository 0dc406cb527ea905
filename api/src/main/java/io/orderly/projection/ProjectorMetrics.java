package io.orderly.projection;

import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orderly.cdc.apply.ApplyObserver;
import io.orderly.cdc.assembly.SourceTransaction;

/**
 * The projector's metrics: transactions and row changes applied, how long applying took, and the
 * end-to-end lag from the commit in PostgreSQL to visibility in Redis.
 */
class ProjectorMetrics implements ApplyObserver {

    private final Counter transactions;
    private final Counter changes;
    private final Counter staged;
    private final Timer apply;
    private final Timer lag;

    ProjectorMetrics(MeterRegistry meters) {
        this.transactions = Counter.builder("orderly.projector.transactions")
                .description("Source transactions (and snapshot chunks) applied to the read models").register(meters);
        this.changes = Counter.builder("orderly.projector.changes")
                .description("Row changes applied to the read models").register(meters);
        this.staged = Counter.builder("orderly.projector.staged.transactions")
                .description("Transactions too large to hold, staged in Redis in parts and made visible at once").register(meters);
        this.apply = Timer.builder("orderly.projector.apply")
                .description("Time to apply one transaction to Redis").register(meters);
        this.lag = Timer.builder("orderly.projector.lag")
                .description("From the commit in PostgreSQL to visibility in the read models").register(meters);
    }

    @Override
    public void applied(SourceTransaction transaction, long applyNanos, Instant appliedAt) {
        transactions.increment();
        changes.increment(transaction.size());
        if (transaction.staged()) {
            staged.increment();
        }
        apply.record(Duration.ofNanos(applyNanos));
        if (!transaction.snapshot()) {
            lag.record(Duration.between(transaction.committedAt(), appliedAt));
        }
    }
}
