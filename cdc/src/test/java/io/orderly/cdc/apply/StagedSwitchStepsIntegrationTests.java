package io.orderly.cdc.apply;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;

import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.Rows;
import io.orderly.cdc.TestRedis;
import io.orderly.cdc.assembly.Row;
import io.orderly.cdc.assembly.RowChange;
import io.orderly.cdc.assembly.SourceTransaction;
import io.orderly.cdc.customer.CustomerProjection;
import io.orderly.cdc.readmodel.EntityType;
import io.orderly.cdc.readmodel.FeedEntry;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.cdc.readmodel.SwitchedReads;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A staged transaction made visible in steps of bounded size, against a real Redis: visible in
 * one step, then its index copies renamed into place and its values copied into their keys a page
 * at a time, so that every index and key reads as the transaction left it throughout (the copy or
 * staged value while there is one, the index's or key's own after), and a copy left half-way
 * finished by the next projector without an entry lost or doubled.
 */
class StagedSwitchStepsIntegrationTests {

    private static final int OWN_DATABASE = 6;
    private static final long WATERMARK = 41;
    private static final long POSITION = 77;
    /** More than two pages of the copy. */
    private static final int DOCUMENTS = 2_500;
    private static final String TOKEN = "77.701";
    private static final Instant COMMITTED_AT = Instant.parse("2026-12-01T10:00:00Z");

    private final TestRedis.Connection connection = TestRedis.connect(OWN_DATABASE);
    private final RedisCommands<String, String> redis = connection.sync();
    private final RedisAsyncCommands<String, String> async = connection.connection().async();
    /** What every key of the transaction holds once it is visible (null: absent). */
    private final Map<String, @Nullable String> expected = new LinkedHashMap<>();

    /** A projector's writer, as a new one starts, on this test's database. */
    private ReadModelWriter writer() {
        return writer(connection.connection());
    }

    private static ReadModelWriter writer(StatefulRedisConnection<String, String> on) {
        TransactionApplier applier = new TransactionApplier(on, List.of(new CustomerProjection()), Clock.systemUTC(), 1_000_000, true);
        return new ReadModelWriter("slot", on, applier, Clock.systemUTC(), ApplyObserver.NONE, null);
    }

    @AfterEach
    void close() {
        connection.close();
    }

    @Test
    void turnsVisibleAtOnceAndIsCopiedIntoPlaceSoThatEachIndexAndKeyReadsAsTheTransactionLeftItThroughout() {
        StagingArea area = stagedTransaction();
        StagedSwitch.prepare(redis, area);

        assertThat(redis.zrangebylex("index:grown", Range.unbounded())).containsExactly("old");
        assertThat(redis.zcard("index:emptied")).isEqualTo(2);
        assertThat(redis.exists("index:new")).isZero();
        assertThat(redis.get(ReadModelKeys.SWITCH)).isNull();

        assertThat(flip(area, 1_000_000)).isEqualTo(DOCUMENTS);

        assertThat(redis.get(ReadModelKeys.SWITCH)).isEqualTo(area.documentsKey());
        assertThat(redis.zrangebylex("index:grown", Range.unbounded())).as("not in place yet").containsExactly("old");
        assertThat(redis.get("document:0")).as("not copied yet").isEqualTo("old");
        // One index at a time, so that some are in place and others not.
        int renamed = 0;
        while ("indexes".equals(redis.hget(ReadModelKeys.SWITCH_STATE, "phase"))) {
            assertThat(readThroughSwitch()).isEqualTo(expected);
            assertThat(indexesThroughSwitch()).isEqualTo(expectedIndexes());
            StagedSwitch.step(redis, 1);
            renamed++;
        }
        assertThat(renamed).isEqualTo(3);
        assertThat(redis.zcard("index:grown")).as("in place").isEqualTo(DOCUMENTS + 1);
        do {
            assertThat(readThroughSwitch()).isEqualTo(expected);
            assertThat(indexesThroughSwitch()).isEqualTo(expectedIndexes());
        }
        while (StagedSwitch.step(redis));

        assertThat(redis.get(ReadModelKeys.SWITCH)).isNull();
        assertThat(readKeys()).isEqualTo(expected);
        assertThat(redis.zcard("index:grown")).isEqualTo(DOCUMENTS + 1);
        assertThat(redis.exists("index:emptied")).isZero();
        assertThat(redis.zrangebylex("index:untouched", Range.unbounded())).containsExactly("kept");
        assertThat(redis.zcard("index:new")).isEqualTo(DOCUMENTS);
        assertThat(redis.get("document:1")).isEqualTo("{\"id\":1,\"lsn\":" + POSITION + "}");
        assertThat(feedSequences()).isEqualTo(IntStream.rangeClosed(1, DOCUMENTS).boxed().toList());
        assertThat(redis.xrange(ReadModelKeys.FEED, Range.create("-", "+")))
                .extracting(message -> FeedEntry.fromFields(message.getId(), message.getBody()))
                .allSatisfy(entry -> {
                    assertThat(entry.token()).isEqualTo(TOKEN);
                    assertThat(entry.committedAt()).isEqualTo(COMMITTED_AT);
                });
        assertThat(redis.keys(ReadModelKeys.STAGING + "*")).isEmpty();
        assertThat(redis.exists(ReadModelKeys.SWITCH_STATE)).isZero();
    }

    @Test
    void aCopyLeftHalfWayIsFinishedByTheNextProjectorWithNoFeedEntryLostOrDoubled() {
        visibleTransaction(1_000_000);
        // Stopped in the middle of appending the feed entries, where the next sequence is in the state.
        while (!"feed".equals(redis.hget(ReadModelKeys.SWITCH_STATE, "phase"))) {
            StagedSwitch.step(redis);
        }
        assertThat(StagedSwitch.step(redis, 100)).isTrue();
        // HSCAN's count is a hint: about a hundred entries appended, far from all.
        assertThat(feedSequences()).isNotEmpty().hasSizeLessThan(DOCUMENTS / 2);

        assertThat(StagedSwitch.finish(redis)).isPositive();

        assertThat(readKeys()).isEqualTo(expected);
        assertThat(feedSequences()).isEqualTo(IntStream.rangeClosed(1, DOCUMENTS).boxed().toList());
        assertThat(redis.keys(ReadModelKeys.STAGING + "*")).isEmpty();
        assertThat(StagedSwitch.finish(redis)).isZero();
    }

    @Test
    void openingAnApplierFinishesALeftOverCopyBeforeItReadsTheFeedsLastSequenceOrAppliesAnything() {
        visibleTransaction(1_000_000);
        StagedSwitch.step(redis);
        StagingArea stale = StagingArea.begin(redis, 702, "other", WATERMARK);
        TransactionApplier applier = new TransactionApplier(connection.connection(), List.of(new CustomerProjection()),
                Clock.systemUTC(), 1_000_000, true);
        SourceTransaction next = SourceTransaction.committed(703, POSITION + 1, COMMITTED_AT, List.of(new RowChange.Inserted("customers",
                new Row(Rows.customer(UUID.randomUUID().toString())))));
        assertThatThrownBy(() -> applier.apply(next)).isInstanceOf(IllegalStateException.class).hasMessageContaining("open()");
        assertThat(redis.exists(ReadModelKeys.SWITCH_STATE)).isOne();

        applier.open();
        applier.apply(next);

        assertThat(readKeys()).isEqualTo(expected);
        assertThat(redis.smembers(ReadModelKeys.STAGING)).doesNotContain(stale.id());
        assertThat(redis.keys(ReadModelKeys.STAGING + "*")).isEmpty();
        assertThat(feedSequences()).isEqualTo(IntStream.rangeClosed(1, DOCUMENTS + 1).boxed().toList());
    }

    @Test
    void parkingAWriterThatIsFinishingALeftOverCopyWaitsForOneStepAndTheNextWriterGoesOnFromThere() throws Exception {
        visibleTransaction(1_000_000);
        try (StatefulRedisConnection<String, String> own = connection.client().connect()) {
            ReadModelWriter writer = writer(own);
            // Redis holds the writer's first step (a script) until unpaused, so parking starts while it is in flight.
            long blockedBefore = blockedClients();
            pauseWrites("10000");
            CompletableFuture<Void> opening = CompletableFuture.runAsync(() -> {
                try {
                    writer.open();
                }
                catch (InterruptedException e) {
                    throw new CompletionException(e);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> blockedClients() > blockedBefore);
            Thread parking = new Thread(writer::park);
            parking.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> parking.getState() == Thread.State.WAITING);
            pauseWrites(null);
            parking.join(10_000);

            assertThat(parking.isAlive()).isFalse();

            // One step was taken, the indexes', and none of the documents' or the feed's.
            assertThat(redis.hget(ReadModelKeys.SWITCH_STATE, "phase")).isEqualTo("documents");
            assertThat(redis.get("document:1")).isNull();
            writer.stop();
            assertThatThrownBy(opening::join).hasCauseInstanceOf(InterruptedException.class);
        }
        finally {
            pauseWrites(null);
        }

        writer().open();
        assertThat(readKeys()).isEqualTo(expected);
        assertThat(feedSequences()).isEqualTo(IntStream.rangeClosed(1, DOCUMENTS).boxed().toList());
        assertThat(redis.exists(ReadModelKeys.SWITCH_STATE)).isZero();
    }

    /** {@code CLIENT PAUSE millis WRITE}, which holds every client's writes and scripts but not reads; null unpauses. */
    private void pauseWrites(@Nullable String millis) {
        CommandArgs<String, String> arguments = new CommandArgs<>(StringCodec.UTF8);
        if (millis == null) {
            arguments.add("UNPAUSE");
        }
        else {
            arguments.add("PAUSE").add(millis).add("WRITE");
        }
        redis.dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8), arguments);
    }

    private long blockedClients() {
        return redis.info("clients").lines().filter(line -> line.startsWith("blocked_clients:"))
                .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).trim())).findFirst().orElseThrow();
    }

    @Test
    void aLeftOverCopyThatRedisRefusesFailsTheWriterSayingWhyAndIsFinishedOnceRedisHasRoom() throws Exception {
        visibleTransaction(1_000_000);
        StagedSwitch.step(redis);
        // Redis 6.2 takes one setting per CONFIG GET and SET.
        String maxmemory = redis.configGet("maxmemory").get("maxmemory");
        String policy = redis.configGet("maxmemory-policy").get("maxmemory-policy");
        try {
            redis.configSet("maxmemory-policy", "noeviction");
            redis.configSet("maxmemory", "1");

            assertThatThrownBy(() -> writer().open())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Cannot apply the rest of a visible staged transaction")
                    .hasMessageContaining("OOM")
                    .hasRootCauseInstanceOf(RedisCommandExecutionException.class);
        }
        finally {
            redis.configSet("maxmemory", maxmemory);
            redis.configSet("maxmemory-policy", policy);
        }
        assertThat(redis.exists(ReadModelKeys.SWITCH_STATE)).isOne();
        assertThat(readThroughSwitch()).isEqualTo(expected);

        writer().open();

        assertThat(readKeys()).isEqualTo(expected);
        assertThat(redis.exists(ReadModelKeys.SWITCH_STATE)).isZero();
    }

    @Test
    void theVisibleStagingIsNeverDiscardedAndAStagingDiscardedBeforeItsIndexCopiesGetsNone() {
        StagingArea visible = visibleTransaction(1_000_000);

        visible.discard(redis);
        assertThat(StagingArea.discardStale(redis)).isZero();

        assertThat(StagedSwitch.finish(redis)).isPositive();
        assertThat(readKeys()).isEqualTo(expected);
        StagingArea discarded = stagedTransaction();
        StagingArea.discardStale(redis);
        assertThat(StagedSwitch.prepare(redis, discarded)).isFalse();
        assertThat(redis.keys(ReadModelKeys.STAGING + "*")).isEmpty();
    }

    @Test
    void numbersEveryFeedEntryButAppendsOnlyThoseTheFeedRetains() {
        visibleTransaction(1_000);

        StagedSwitch.finish(redis);

        assertThat(feedSequences()).isEqualTo(IntStream.rangeClosed(DOCUMENTS - 999, DOCUMENTS).boxed().toList());
    }

    @Test
    void discardingAPreparedStagingLeavesTheIndexesAsTheyWere() {
        StagingArea area = stagedTransaction();
        StagedSwitch.prepare(redis, area);

        area.discard(redis);

        assertThat(redis.keys(ReadModelKeys.STAGING + "*")).isEmpty();
        assertThat(redis.zrangebylex("index:grown", Range.unbounded())).containsExactly("old");
        assertThat(redis.zcard("index:emptied")).isEqualTo(2);
    }

    /**
     * A transaction that writes {@link #DOCUMENTS} documents (over some that exist, deleting
     * some others), a lookup, members into one index and out of another, staged as the applier
     * stages one.
     */
    private StagingArea stagedTransaction() {
        Map<String, String> staged = new LinkedHashMap<>();
        Map<String, String> feed = new LinkedHashMap<>();
        StagedOperations operations = new StagedOperations();
        for (int i = 0; i < DOCUMENTS; i++) {
            String key = "document:" + i;
            if (i % 10 == 0) {
                redis.set(key, "old");
            }
            boolean deleted = i % 10 == 0 && i % 20 == 0;
            staged.put(key, deleted ? ReadModelKeys.STAGED_DELETION : "{\"id\":" + i + ",\"lsn\":" + (WATERMARK + 1) + "}");
            expected.put(key, deleted ? null : "{\"id\":" + i + ",\"lsn\":" + POSITION + "}");
            feed.put(key, StagingArea.feedFields(new FeedEntry(0, EntityType.CUSTOMER, Integer.toString(i),
                    deleted ? FeedEntry.Operation.DELETED : FeedEntry.Operation.CREATED, Instant.EPOCH, "", null)));
            operations.addToIndex("index:grown", "member-" + i);
            operations.addToIndex("index:new", "member-" + i);
        }
        redis.set("lookup:old", "1");
        staged.put("lookup:old", ReadModelKeys.STAGED_DELETION);
        staged.put("lookup:new", "2");
        expected.put("lookup:old", null);
        expected.put("lookup:new", "2");
        redis.zadd("index:grown", 0, "old");
        redis.zadd("index:emptied", 0.0, "a", 0.0, "b");
        redis.zadd("index:untouched", 0, "kept");
        operations.removeFromIndex("index:emptied", "a");
        operations.removeFromIndex("index:emptied", "b");
        StagingArea area = StagingArea.begin(redis, 701, "test", WATERMARK);
        area.stage(async, staged, operations.encoded(), feed, List.of());
        area.awaitStaged(Duration.ofSeconds(5));
        return area;
    }

    /** The transaction of {@link #stagedTransaction}, its index copies made and made visible, nothing copied into place yet. */
    private StagingArea visibleTransaction(long feedRetention) {
        StagingArea area = stagedTransaction();
        StagedSwitch.prepare(redis, area);
        flip(area, feedRetention);
        return area;
    }

    private long flip(StagingArea area, long feedRetention) {
        async.multi();
        var numbered = StagedSwitch.queueFlip(async, area, POSITION, COMMITTED_AT, TOKEN, 1, feedRetention);
        assertThat(redis.exec().wasDiscarded()).isFalse();
        return numbered.toCompletableFuture().join();
    }

    /**
     * Each key of the transaction as readers read it ({@link SwitchedReads}), the provisional
     * position of the documents not copied yet taken for the real one, which readers do not use.
     */
    private Map<String, @Nullable String> readThroughSwitch() {
        Map<String, @Nullable String> read = new HashMap<>();
        SwitchedReads.read(redis, expected.keySet().toArray(String[]::new)).forEach(value -> read.put(value.getKey(),
                value.hasValue() ? value.getValue().replace("\"lsn\":" + (WATERMARK + 1), "\"lsn\":" + POSITION) : null));
        return orderedAsExpected(read);
    }

    /** Each index's members as readers read them, from the start and, for the first ten, from the end after a cursor. */
    private Map<String, List<String>> indexesThroughSwitch() {
        Map<String, List<String>> read = new LinkedHashMap<>();
        for (String index : List.of("index:grown", "index:emptied", "index:new", "index:untouched")) {
            SwitchedReads.IndexPage page = SwitchedReads.page(redis, index, false, null, DOCUMENTS + 10);
            assertThat(page.size()).isEqualTo(page.members().size());
            read.put(index, page.members());
            read.put(index + " backwards after the last", SwitchedReads.page(redis, index, true,
                    page.members().isEmpty() ? null : page.members().get(page.members().size() - 1), 10).members());
        }
        return read;
    }

    private Map<String, List<String>> expectedIndexes() {
        List<String> added = IntStream.range(0, DOCUMENTS).mapToObj(i -> "member-" + i).sorted().toList();
        List<String> grown = new ArrayList<>(added);
        grown.add("old");
        Map<String, List<String>> indexes = new LinkedHashMap<>();
        indexes.put("index:grown", grown);
        indexes.put("index:grown backwards after the last", lastTenBeforeTheEnd(grown));
        indexes.put("index:emptied", List.of());
        indexes.put("index:emptied backwards after the last", List.of());
        indexes.put("index:new", added);
        indexes.put("index:new backwards after the last", lastTenBeforeTheEnd(added));
        indexes.put("index:untouched", List.of("kept"));
        indexes.put("index:untouched backwards after the last", List.of());
        return indexes;
    }

    /** The ten members before the last, nearest first. */
    private static List<String> lastTenBeforeTheEnd(List<String> members) {
        List<String> ten = new ArrayList<>(members.subList(members.size() - 11, members.size() - 1));
        Collections.reverse(ten);
        return ten;
    }

    private Map<String, @Nullable String> readKeys() {
        Map<String, @Nullable String> read = new HashMap<>();
        expected.keySet().forEach(key -> read.put(key, redis.get(key)));
        return orderedAsExpected(read);
    }

    private Map<String, @Nullable String> orderedAsExpected(Map<String, @Nullable String> read) {
        Map<String, @Nullable String> ordered = new LinkedHashMap<>();
        expected.keySet().forEach(key -> ordered.put(key, read.get(key)));
        return ordered;
    }

    private List<Integer> feedSequences() {
        return redis.xrange(ReadModelKeys.FEED, Range.create("-", "+")).stream()
                .map(StreamMessage::getId)
                .map(id -> (int) FeedEntry.sequenceOf(id))
                .sorted()
                .toList();
    }
}
