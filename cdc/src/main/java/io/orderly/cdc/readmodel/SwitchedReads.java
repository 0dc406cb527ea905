package io.orderly.cdc.readmodel;

import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import org.jspecify.annotations.Nullable;

/**
 * How readers read the read models while a visible staged transaction may still be being copied
 * into place ({@link ReadModelKeys#SWITCH} names the hash of its writes not copied yet). String
 * keys (documents, lookups): one MGET of the marker and the keys, and only while the marker is
 * set, once more through one script that reads the marker, and for each key the hash's field or
 * else the key itself, atomically. Index pages: the marker is read with the page, and while it is
 * set, the page is read again through one script that takes the index's copy while the copy is
 * not in place yet. Every copy step is atomic too, so what a read returns is all of it as it is
 * after that transaction; the two replies are never mixed.
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

    /**
     * KEYS: the marker, the switch's state, the index. ARGV: '1' to read the index from its end,
     * the excluded bound a page starts after ('' for none), how many members. While the switch is
     * on, an index the transaction wrote whose copy is not in place yet is read from the copy.
     * Returns the members and the index's size.
     */
    private static final String PAGE = """
            local index = KEYS[3]
            if redis.call('EXISTS', KEYS[1]) == 1 then
              local switching = redis.call('HMGET', KEYS[2], 'phase', 'indexes', 'copies')
              if switching[1] == 'indexes' and switching[2] and switching[3]
                  and redis.call('SISMEMBER', switching[2], index) == 1 then
                index = switching[3] .. index
              end
            end
            local members
            if ARGV[1] == '1' then
              members = redis.call('ZREVRANGEBYLEX', index, ARGV[2] == '' and '+' or '(' .. ARGV[2], '-', 'LIMIT', 0, ARGV[3])
            else
              members = redis.call('ZRANGEBYLEX', index, ARGV[2] == '' and '-' or '(' .. ARGV[2], '+', 'LIMIT', 0, ARGV[3])
            end
            return { members, redis.call('ZCARD', index) }
            """;

    /** Members of an index and its size, as a reader reads them. */
    public record IndexPage(List<String> members, long size) {
    }

    private SwitchedReads() {
    }

    /**
     * Sends the read of a page of an index through the switch: the index's copy while the
     * transaction that wrote it is visible and the copy not yet in place.
     *
     * @param reversed read from the index's end
     * @param after the excluded member the page starts after, if any
     */
    public static RedisFuture<List<Object>> sendPage(RedisAsyncCommands<String, String> redis, String index, boolean reversed,
            @Nullable String after, long count) {
        return redis.eval(PAGE, ScriptOutputType.MULTI, pageKeys(index), pageArguments(reversed, after, count));
    }

    /** The reply of {@link #sendPage}. */
    @SuppressWarnings("unchecked")
    public static IndexPage page(List<Object> reply) {
        return new IndexPage(((List<Object>) reply.get(0)).stream().map(String.class::cast).toList(), (Long) reply.get(1));
    }

    /** A page of an index as readers see it, waiting for Redis: for tools and tests; queries read asynchronously. */
    public static IndexPage page(RedisCommands<String, String> redis, String index, boolean reversed, @Nullable String after,
            long count) {
        return page(redis.eval(PAGE, ScriptOutputType.MULTI, pageKeys(index), pageArguments(reversed, after, count)));
    }

    private static String[] pageKeys(String index) {
        return new String[] { ReadModelKeys.SWITCH, ReadModelKeys.SWITCH_STATE, index };
    }

    private static String[] pageArguments(boolean reversed, @Nullable String after, long count) {
        return new String[] { reversed ? "1" : "0", after == null ? "" : after, Long.toString(count) };
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
