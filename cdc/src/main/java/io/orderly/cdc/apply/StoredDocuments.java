package io.orderly.cdc.apply;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The read-model documents as Redis holds them before a group of transactions is applied, each
 * read from Redis at most once: those the projections announce with one MGET per
 * {@value #MGET_SIZE} keys, sent without waiting, any other with a GET on first use.
 */
final class StoredDocuments {

    private static final int MGET_SIZE = 1000;

    private final RedisCommands<String, String> redis;
    private final RedisAsyncCommands<String, String> async;
    private final Duration timeout;
    private final Map<String, Optional<String>> documents = new HashMap<>();
    private final List<RedisFuture<List<KeyValue<String, String>>>> fetching = new ArrayList<>();

    StoredDocuments(RedisCommands<String, String> redis, RedisAsyncCommands<String, String> async, Duration timeout) {
        this.redis = redis;
        this.async = async;
        this.timeout = timeout;
    }

    /** Sends the MGETs for {@code keys}; their replies are taken when a document is first asked for. */
    void fetch(Collection<String> keys) {
        List<String> distinct = keys.stream().distinct().toList();
        for (int from = 0; from < distinct.size(); from += MGET_SIZE) {
            List<String> chunk = distinct.subList(from, Math.min(from + MGET_SIZE, distinct.size()));
            fetching.add(async.mget(chunk.toArray(String[]::new)));
        }
    }

    Optional<String> get(String key) {
        for (RedisFuture<List<KeyValue<String, String>>> reply : fetching) {
            for (KeyValue<String, String> value : LettuceFutures.awaitOrCancel(reply, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                documents.put(value.getKey(), value.hasValue() ? Optional.of(value.getValue()) : Optional.empty());
            }
        }
        fetching.clear();
        return documents.computeIfAbsent(key, absent -> Optional.ofNullable(redis.get(absent)));
    }
}
