package io.orderly.cdc.readmodel;

import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * How readers read string keys (documents, lookups) of the read models: one MGET of
 * {@link ReadModelKeys#SWITCH} and the keys, and only while a visible staged transaction is still
 * being copied into place (the marker names the hash of its writes not copied yet), once more
 * through one script that reads the marker, and for each key the hash's field or else the key
 * itself, atomically: every copy step is atomic too, so the values read are all of them as they
 * are after that transaction. The two replies are never mixed.
 */
public final class SwitchedReads {

    /**
     * KEYS[1] is the marker, the others the keys read; ARGV[1] is what a field of a key the
     * transaction deletes holds. A field absent from the hash (or no hash) leaves the key as it is.
     */
    private static final String SCRIPT = """
            local staged = redis.call('GET', KEYS[1])
            local values = {}
            for i = 2, #KEYS do
              local value = false
              if staged then
                value = redis.call('HGET', staged, KEYS[i])
              end
              if value == false then
                value = redis.call('GET', KEYS[i])
              elseif value == ARGV[1] then
                value = false
              end
              values[i - 1] = value
            end
            return values
            """;

    private SwitchedReads() {
    }

    /** The marker followed by {@code keys}: what both the first MGET and the script read. */
    public static String[] withMarker(String... keys) {
        String[] withMarker = new String[keys.length + 1];
        withMarker[0] = ReadModelKeys.SWITCH;
        System.arraycopy(keys, 0, withMarker, 1, keys.length);
        return withMarker;
    }

    /** Sends the reads of the keys after the marker ({@link #withMarker}) through the staged hash, if the marker still names one. */
    public static RedisFuture<List<Object>> send(RedisAsyncCommands<String, String> redis, String[] withMarker) {
        return redis.eval(SCRIPT, ScriptOutputType.MULTI, withMarker, ReadModelKeys.STAGED_DELETION);
    }

    /** The script's reply as MGET gives it: each key after the marker with its value, or none for an absent key. */
    public static List<KeyValue<String, String>> values(String[] withMarker, List<Object> reply) {
        List<KeyValue<String, String>> values = new ArrayList<>(reply.size());
        for (int i = 0; i < reply.size(); i++) {
            values.add(KeyValue.fromNullable(withMarker[i + 1], (String) reply.get(i)));
        }
        return values;
    }

    /** The values of {@code keys} as readers see them, waiting for Redis: for tools and tests; queries read asynchronously. */
    public static List<KeyValue<String, String>> read(RedisCommands<String, String> redis, String... keys) {
        String[] withMarker = withMarker(keys);
        List<KeyValue<String, String>> values = redis.mget(withMarker);
        if (!values.get(0).hasValue()) {
            return values.subList(1, values.size());
        }
        return values(withMarker, redis.eval(SCRIPT, ScriptOutputType.MULTI, withMarker, ReadModelKeys.STAGED_DELETION));
    }
}
