package io.orderly.projection;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.IntegrationTest;
import io.orderly.cdc.readmodel.CustomerDocument;
import io.orderly.cdc.readmodel.FeedEntry;
import io.orderly.cdc.readmodel.ProjectorStatus;
import io.orderly.cdc.readmodel.ReadModelJson;
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

    private static final int ROWS = 3_000;

    @Autowired
    private ReadModelCheck check;

    @Autowired
    private MeterRegistry meters;

    @AfterEach
    void fixedAndStreaming() {
        PoisonPill.fixed();
        if (projector.state() == ProjectorStatus.State.FAILED || !projector.isRunning()) {
            projector.stop();
            projector.start();
        }
    }

    @Test
    void readersSeeABulkInsertAndABulkUpdateAllAtOnceOrNotAtAll() throws Exception {
        String batch = UUID.randomUUID().toString();
        long indexed = redis().zcard(ReadModelKeys.CUSTOMERS);
        double staged = stagedTransactions();

        Set<String> inserting = observeWhile(() -> redis().zcard(ReadModelKeys.CUSTOMERS) + " indexed", () -> {
            insertCustomers(batch, null);
            await().atMost(Duration.ofSeconds(60)).until(() -> redis().zcard(ReadModelKeys.CUSTOMERS) == indexed + ROWS);
        });
        List<String> keys = customerKeys(batch);
        assertThat(inserting).containsOnly(indexed + " indexed", (indexed + ROWS) + " indexed");
        assertThat(redis().exists(keys.toArray(String[]::new))).isEqualTo(ROWS);
        assertThat(createdInTheFeed(keys)).isEqualTo(ROWS);

        String[] sample = { keys.get(0), keys.get(ROWS / 2), keys.get(ROWS - 1) };
        Set<String> renaming = observeWhile(() -> String.join(",", redis().mget(sample).stream()
                .map(value -> ReadModelJson.read(value.getValue(), CustomerDocument.class).name()).distinct().sorted().toList()), () -> {
            jdbc.sql("UPDATE customers SET name = 'Renamed ' || name, version = version + 1 WHERE email LIKE :pattern")
                    .param("pattern", "%@" + batch + ".example.com").update();
            await().atMost(Duration.ofSeconds(60)).until(() -> nameOf(keys.get(ROWS - 1)).startsWith("Renamed"));
        });
        // Each sample is of one transaction only: either none of the three is renamed or all are.
        assertThat(renaming).allSatisfy(names -> assertThat(names.contains("Renamed") && names.contains(",Bulk")
                || names.startsWith("Bulk") && names.contains(",Renamed")).isFalse());
        assertThat(renaming).anySatisfy(names -> assertThat(names).doesNotContain("Renamed"))
                .anySatisfy(names -> assertThat(names.split(",")).allSatisfy(name -> assertThat(name).startsWith("Renamed")));
        // Counted once the apply has returned, a moment after the transaction became visible.
        await().atMost(Duration.ofSeconds(10)).until(() -> stagedTransactions() == staged + 2);
        assertThat(redis().keys(ReadModelKeys.STAGING + "*")).isEmpty();
        assertThat(check.differences()).isEmpty();
    }

    @Test
    void aProjectorStoppedHalfWayThroughStagingShowsNothingThenAppliesTheWholeTransactionOnceRestarted() {
        String batch = UUID.randomUUID().toString();
        long indexed = redis().zcard(ReadModelKeys.CUSTOMERS);
        PoisonPill.broken();

        // The last row, in the last part, chokes the projector after the parts before it were staged.
        insertCustomers(batch, PoisonPill.NAME);
        await().atMost(Duration.ofSeconds(60)).until(() -> projector.state() == ProjectorStatus.State.FAILED);
        List<String> keys = customerKeys(batch);
        assertThat(redis().smembers(ReadModelKeys.STAGING)).isNotEmpty();
        assertThat(redis().zcard(ReadModelKeys.CUSTOMERS)).isEqualTo(indexed);
        assertThat(redis().exists(keys.toArray(String[]::new))).isZero();

        PoisonPill.fixed();
        projector.stop();
        projector.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> redis().zcard(ReadModelKeys.CUSTOMERS) == indexed + ROWS);
        assertThat(redis().exists(keys.toArray(String[]::new))).isEqualTo(ROWS);
        assertThat(createdInTheFeed(keys)).isEqualTo(ROWS);
        assertThat(redis().keys(ReadModelKeys.STAGING + "*")).isEmpty();
        assertThat(check.differences()).isEmpty();
    }

    /** {@value #ROWS} customers in one statement, the last one named {@code lastName} when given. */
    private void insertCustomers(String batch, String lastName) {
        jdbc.sql("""
                INSERT INTO customers (id, email, name)
                SELECT gen_random_uuid(), 'bulk-' || i || '@' || :batch || '.example.com',
                       CASE WHEN i = :rows AND :last::text IS NOT NULL THEN :last::text ELSE 'Bulk ' || i END
                FROM generate_series(1, :rows) AS i
                """)
                .param("batch", batch).param("rows", ROWS).param("last", lastName)
                .update();
    }

    /** The document keys of the batch's customers, in the order they were inserted. */
    private List<String> customerKeys(String batch) {
        return jdbc.sql("SELECT id FROM customers WHERE email LIKE :pattern ORDER BY split_part(substr(email, 6), '@', 1)::int")
                .param("pattern", "%@" + batch + ".example.com")
                .query(String.class).list().stream()
                .map(ReadModelKeys::customer)
                .toList();
    }

    private String nameOf(String key) {
        String value = redis().get(key);
        return value == null ? "" : ReadModelJson.read(value, CustomerDocument.class).name();
    }

    /** How many of the latest feed entries announce one of these customers as created. */
    private long createdInTheFeed(List<String> keys) {
        Set<String> ids = Set.copyOf(keys.stream().map(key -> key.substring(key.lastIndexOf(':') + 1)).toList());
        return redis().xrevrange(ReadModelKeys.FEED, Range.create("-", "+"), Limit.create(0, keys.size() * 2L)).stream()
                .map(message -> FeedEntry.fromFields(message.getId(), message.getBody()))
                .filter(entry -> entry.operation() == FeedEntry.Operation.CREATED && ids.contains(entry.id()))
                .count();
    }

    private double stagedTransactions() {
        return meters.get("orderly.projector.staged.transactions").counter().count();
    }

    /** Runs {@code action} while another thread keeps reading, and returns every distinct reading. */
    private static Set<String> observeWhile(Supplier<String> reading, ThrowingRunnable action) throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<?> reads = reader.submit(() -> {
                while (!done.get()) {
                    seen.add(reading.get());
                }
            });
            action.run();
            done.set(true);
            reads.get();
        }
        finally {
            done.set(true);
            reader.shutdownNow();
        }
        seen.add(reading.get());
        return seen;
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
