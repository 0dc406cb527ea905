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

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.readmodel.CustomerDocument;
import io.orderly.cdc.readmodel.FeedEntry;
import io.orderly.cdc.readmodel.ProjectorStatus;
import io.orderly.cdc.readmodel.ReadModelJson;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.cdc.readmodel.SwitchedReads;
import io.orderly.cdc.supervision.ProjectorSupervisor;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A batch of {@value #ROWS} customers written by single SQL statements, more rows than the
 * projector holds (the test contexts' staging threshold is 500), and what readers of the read models
 * see of them meanwhile: the same checks for every source the projector reads from.
 */
final class BulkCustomers {

    static final int ROWS = 3_000;

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final JdbcClient jdbc;
    private final RedisCommands<String, String> redis;
    private final String batch = UUID.randomUUID().toString();

    /** @param redis the read models the projector writes */
    BulkCustomers(JdbcClient jdbc, RedisCommands<String, String> redis) {
        this.jdbc = jdbc;
        this.redis = redis;
    }

    /** Inserts the batch in one statement while another thread reads the index: it sees the batch all at once or not at all. */
    void insertSeenWhole() throws Exception {
        long indexed = redis.zcard(ReadModelKeys.CUSTOMERS);
        Set<String> inserting = observeWhile(() -> redis.zcard(ReadModelKeys.CUSTOMERS) + " indexed", () -> {
            insert(null);
            await().atMost(WAIT).until(() -> redis.zcard(ReadModelKeys.CUSTOMERS) == indexed + ROWS);
        });
        awaitCopiedIntoPlace();
        List<String> keys = keys();
        assertThat(inserting).containsOnly(indexed + " indexed", (indexed + ROWS) + " indexed");
        assertThat(redis.exists(keys.toArray(String[]::new))).isEqualTo(ROWS);
        assertThat(createdInTheFeed()).isEqualTo(ROWS);
    }

    /** Renames the batch in one statement while another thread reads three of them: it never sees some renamed and some not. */
    void renameSeenWhole() throws Exception {
        List<String> keys = keys();
        String[] sample = { keys.get(0), keys.get(ROWS / 2), keys.get(ROWS - 1) };
        Set<String> renaming = observeWhile(() -> String.join(",", SwitchedReads.read(redis, sample).stream()
                .map(value -> ReadModelJson.read(value.getValue(), CustomerDocument.class).name()).distinct().sorted().toList()), () -> {
            jdbc.sql("UPDATE customers SET name = 'Renamed ' || name, version = version + 1 WHERE email LIKE :pattern")
                    .param("pattern", "%@" + batch + ".example.com").update();
            await().atMost(WAIT).until(() -> nameOf(keys.get(ROWS - 1)).startsWith("Renamed"));
        });
        // Each sample is of one transaction only: either none of the three is renamed or all are.
        assertThat(renaming).allSatisfy(names -> assertThat(names.contains("Renamed") && names.contains(",Bulk")
                || names.startsWith("Bulk") && names.contains(",Renamed")).isFalse());
        assertThat(renaming).anySatisfy(names -> assertThat(names).doesNotContain("Renamed"))
                .anySatisfy(names -> assertThat(names.split(",")).allSatisfy(name -> assertThat(name).startsWith("Renamed")));
    }

    /**
     * Inserts the batch with its last customer named {@link PoisonPill#NAME}, which makes the
     * projector fail after it staged the parts before it: nothing of the batch is visible. Then,
     * with the projection fixed, restarts the projector, which applies the whole batch once.
     */
    void failHalfWayThroughStagingThenApplyWhole(ProjectorSupervisor projector) {
        long indexed = redis.zcard(ReadModelKeys.CUSTOMERS);
        PoisonPill.broken();
        try {
            insert(PoisonPill.NAME);
            await().atMost(WAIT).until(() -> projector.state() == ProjectorStatus.State.FAILED);
            assertThat(redis.smembers(ReadModelKeys.STAGING)).isNotEmpty();
            assertThat(redis.zcard(ReadModelKeys.CUSTOMERS)).isEqualTo(indexed);
            assertThat(visible()).isZero();
        }
        finally {
            PoisonPill.fixed();
        }
        projector.stop();
        projector.start();

        await().atMost(WAIT).until(() -> redis.zcard(ReadModelKeys.CUSTOMERS) == indexed + ROWS);
        awaitCopiedIntoPlace();
        assertAppliedOnce();
    }

    /**
     * Waits until the projector has copied a visible staged transaction into place and appended its
     * feed entries: readers see it whole from the moment it turns visible, the raw keys only after.
     */
    void awaitCopiedIntoPlace() {
        await().atMost(WAIT).until(() -> redis.exists(ReadModelKeys.SWITCH_STATE) == 0);
    }

    /** Every customer of the batch is in the read models, announced once in the feed, and nothing is left staged. */
    void assertAppliedOnce() {
        assertThat(visible()).isEqualTo(ROWS);
        assertThat(createdInTheFeed()).isEqualTo(ROWS);
        assertThat(redis.keys(ReadModelKeys.STAGING + "*")).isEmpty();
    }

    /** Fixes {@link PoisonPill} and restarts the projector if it failed or stopped, for the tests after. */
    static void fixedAndRunning(ProjectorSupervisor projector) {
        PoisonPill.fixed();
        if (projector.state() == ProjectorStatus.State.FAILED || !projector.isRunning()) {
            projector.stop();
            projector.start();
        }
    }

    /** Inserts the batch in one statement, the last customer named {@code lastName} when given. */
    private void insert(@Nullable String lastName) {
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
    private List<String> keys() {
        return jdbc.sql("SELECT id FROM customers WHERE email LIKE :pattern ORDER BY split_part(substr(email, 6), '@', 1)::int")
                .param("pattern", "%@" + batch + ".example.com")
                .query(String.class).list().stream()
                .map(ReadModelKeys::customer)
                .toList();
    }

    /** How many of the read models' documents of the batch exist. */
    private long visible() {
        return redis.exists(keys().toArray(String[]::new));
    }

    /** How many of the latest feed entries announce one of the batch's customers as created. */
    private long createdInTheFeed() {
        List<String> keys = keys();
        Set<String> ids = Set.copyOf(keys.stream().map(key -> key.substring(key.lastIndexOf(':') + 1)).toList());
        return redis.xrevrange(ReadModelKeys.FEED, Range.create("-", "+"), Limit.create(0, keys.size() * 2L)).stream()
                .map(message -> FeedEntry.fromFields(message.getId(), message.getBody()))
                .filter(entry -> entry.operation() == FeedEntry.Operation.CREATED && ids.contains(entry.id()))
                .count();
    }

    private String nameOf(String key) {
        String value = redis.get(key);
        return value == null ? "" : ReadModelJson.read(value, CustomerDocument.class).name();
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
