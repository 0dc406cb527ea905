package io.orderly.cdc.apply;

import java.util.stream.IntStream;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The writes of a group reduced to what they leave behind, applied in one MULTI/EXEC to a real Redis. */
class NetWritesIntegrationTests {

    private static final int OWN_DATABASE = 4;

    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> redis;

    @BeforeEach
    void emptyDatabase() {
        client = TestRedis.emptyDatabase(OWN_DATABASE);
        connection = client.connect();
        redis = connection.sync();
    }

    @AfterEach
    void close() {
        connection.close();
        client.shutdown();
    }

    @Test
    void leavesTheLastValueOfEachKey() {
        redis.set("kept", "before");
        redis.set("deleted", "before");
        NetWrites writes = new NetWrites();
        writes.set("kept", "first");
        writes.set("kept", "last");
        writes.set("deleted", "first");
        writes.delete("deleted");
        writes.delete("revived");
        writes.set("revived", "again");

        apply(writes);

        assertThat(redis.get("kept")).isEqualTo("last");
        assertThat(redis.exists("deleted")).isZero();
        assertThat(redis.get("revived")).isEqualTo("again");
    }

    @Test
    void leavesEachIndexMemberWhereItsLastWritePutIt() {
        redis.zadd("index", 0, "was-there");
        redis.zadd("index", 0, "stays");
        NetWrites writes = new NetWrites();
        writes.removeFromIndex("index", "was-there");
        writes.addToIndex("index", "added-then-removed");
        writes.removeFromIndex("index", "added-then-removed");
        writes.removeFromIndex("index", "removed-then-added");
        writes.addToIndex("index", "removed-then-added");
        writes.addToIndex("other", "elsewhere");

        apply(writes);

        assertThat(redis.zrangebylex("index", Range.unbounded())).containsExactly("removed-then-added", "stays");
        assertThat(redis.zrangebylex("other", Range.unbounded())).containsExactly("elsewhere");
        assertThat(redis.zscore("index", "stays")).isZero();
    }

    @Test
    void writesMoreKeysAndMembersThanOneCommandTakes() {
        int count = NetWrites.PER_COMMAND * 2 + 1;
        NetWrites writes = new NetWrites();
        IntStream.range(0, count).forEach(i -> {
            writes.set("key:" + i, "value " + i);
            writes.addToIndex("index", "member:" + i);
        });

        apply(writes);

        assertThat(redis.dbsize()).isEqualTo(count + 1L);
        assertThat(redis.get("key:" + (count - 1))).isEqualTo("value " + (count - 1));
        assertThat(redis.zcard("index")).isEqualTo(count);
    }

    private void apply(NetWrites writes) {
        connection.async().multi();
        writes.queueInto(connection.async());
        assertThat(redis.exec().wasDiscarded()).isFalse();
    }
}
