package io.orderly.cdc.source;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.orderly.cdc.readmodel.ReadModelKeys;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the Debezium engine's offsets in Redis, next to the read models they describe, so that
 * any projector process can resume the stream and losing Redis loses both together.
 *
 * <p>The hash {@link ReadModelKeys#ENGINE_OFFSETS} maps each offset key to its value, both as the
 * engine's JSON converter writes them; for the PostgreSQL connector the value holds the WAL
 * positions {@code lsn}, {@code lsn_proc} and {@code lsn_commit}.
 */
public final class RedisOffsetBackingStore extends MemoryOffsetBackingStore {

    /** Engine property holding the Redis URI of the read-model store. */
    public static final String REDIS_URI = "offset.storage.redis.uri";

    private static final byte[] KEY = ReadModelKeys.ENGINE_OFFSETS.getBytes(StandardCharsets.UTF_8);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The fields of a PostgreSQL offset that hold WAL positions. */
    private static final List<String> POSITIONS = List.of("lsn", "lsn_proc", "lsn_commit");

    private String uri = "";
    private RedisClient client;
    private StatefulRedisConnection<byte[], byte[]> connection;

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        Object value = config.originals().get(REDIS_URI);
        if (value == null) {
            throw new IllegalArgumentException(REDIS_URI + " is required");
        }
        uri = value.toString();
    }

    @Override
    public synchronized void start() {
        super.start();
        client = RedisClient.create(uri);
        connection = client.connect(ByteArrayCodec.INSTANCE);
        connection.sync().hgetall(KEY).forEach((key, value) -> data.put(ByteBuffer.wrap(key), ByteBuffer.wrap(value)));
    }

    @Override
    public synchronized void stop() {
        super.stop();
        if (connection != null) {
            connection.close();
            client.shutdown();
        }
    }

    @Override
    protected void save() {
        if (data.isEmpty()) {
            return;
        }
        Map<byte[], byte[]> offsets = new HashMap<>();
        data.forEach((key, value) -> offsets.put(bytes(key), value == null ? new byte[0] : bytes(value)));
        connection.sync().hset(KEY, offsets);
    }

    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        return Set.of();
    }

    /** The furthest WAL position in the offsets stored in this Redis database; 0 when there are none. */
    public static long furthestPosition(RedisCommands<String, String> redis) {
        return furthestPosition(redis.hgetall(ReadModelKeys.ENGINE_OFFSETS).values());
    }

    /** The furthest WAL position in stored offset values; 0 when there are none. */
    static long furthestPosition(Collection<String> offsets) {
        long position = 0;
        for (String offset : offsets) {
            JsonNode fields = JSON.readTree(offset);
            for (String field : POSITIONS) {
                if (fields.path(field).isNumber()) {
                    position = Math.max(position, fields.path(field).asLong());
                }
            }
        }
        return position;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
