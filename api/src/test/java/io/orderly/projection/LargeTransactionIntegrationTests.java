package io.orderly.projection;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.IntegrationTest;
import io.orderly.cdc.readmodel.ReadModelKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One SQL statement that changes more rows than the projector holds in memory (the shared
 * context's staging threshold is {@value #STAGING_THRESHOLD}): staged in Redis, then visible all
 * at once, and redone whole after the projector stopped half-way.
 */
public class LargeTransactionIntegrationTests extends IntegrationTest {

    /** The shared context's {@code orderly.projector.staging-threshold}. */
    public static final int STAGING_THRESHOLD = 500;

    @Autowired
    private ReadModelCheck check;

    @Autowired
    private MeterRegistry meters;

    @AfterEach
    void fixedAndStreaming() {
        BulkCustomers.fixedAndRunning(projector);
    }

    @Test
    void readersSeeABulkInsertAndABulkUpdateAllAtOnceOrNotAtAll() throws Exception {
        BulkCustomers bulk = new BulkCustomers(jdbc, redis());
        double staged = stagedTransactions(meters);

        bulk.insertSeenWhole();
        bulk.renameSeenWhole();

        // Counted once the apply has returned, a moment after the transaction became visible.
        await().atMost(Duration.ofSeconds(10)).until(() -> stagedTransactions(meters) == staged + 2);
        assertThat(redis().keys(ReadModelKeys.STAGING + "*")).isEmpty();
        assertThat(check.differences()).isEmpty();
    }

    @Test
    void aProjectorStoppedHalfWayThroughStagingShowsNothingThenAppliesTheWholeTransactionOnceRestarted() {
        new BulkCustomers(jdbc, redis()).failHalfWayThroughStagingThenApplyWhole(projector);

        assertThat(check.differences()).isEmpty();
    }

    /** How many transactions the projector publishing to {@code meters} staged. */
    static double stagedTransactions(MeterRegistry meters) {
        return meters.get("orderly.projector.staged.transactions").counter().count();
    }
}
