package io.orderly.cdc.apply;

import java.time.Instant;

import io.orderly.cdc.assembly.SourceTransaction;

/** Told about every transaction the projector applied, for metrics. */
@FunctionalInterface
public interface ApplyObserver {

    ApplyObserver NONE = (transaction, applyNanos, appliedAt) -> {
    };

    /**
     * @param applyNanos how long applying it to Redis took
     * @param appliedAt when it became visible in the read models
     */
    void applied(SourceTransaction transaction, long applyNanos, Instant appliedAt);
}
