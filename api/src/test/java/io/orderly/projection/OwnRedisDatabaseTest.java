package io.orderly.projection;

import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Base of tests that apply transactions by hand to the shared Redis, in an emptied database of
 * their own, while the application's projector keeps running in database 0.
 */
abstract class OwnRedisDatabaseTest extends IntegrationTest {

    @Autowired
    private RedisURI readModelRedisUri;

    private RedisClient client;
    protected StatefulRedisConnection<String, String> connection;

    /** The Redis database this test class has to itself. */
    protected abstract int ownDatabase();

    @BeforeEach
    void emptyDatabase() {
        client = RedisClient.create(RedisURI.builder(readModelRedisUri).withDatabase(ownDatabase()).build());
        connection = client.connect();
        connection.sync().flushdb();
    }

    @AfterEach
    void close() {
        connection.close();
        client.shutdown();
    }

    /** Every key with its serialized value, as Redis itself encodes it. */
    protected Map<String, String> dump() {
        RedisCommands<String, String> redis = connection.sync();
        Map<String, String> dump = new TreeMap<>();
        for (String key : redis.keys("*")) {
            dump.put(key, HexFormat.of().formatHex(redis.dump(key)));
        }
        return dump;
    }
}
