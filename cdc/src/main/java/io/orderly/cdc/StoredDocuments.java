package io.orderly.cdc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.lettuce.core.KeyValue;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The read-model documents as Redis holds them before a group of transactions is applied, each
 * read from Redis at most once: those the projections announce with one MGET per
 * {@value #MGET_SIZE} keys, any other on first use.
 */
final class StoredDocuments {

    private static final int MGET_SIZE = 1000;

    private final RedisCommands<String, String> redis;
    private final Map<String, Optional<String>> documents = new HashMap<>();

    StoredDocuments(RedisCommands<String, String> redis) {
        this.redis = redis;
    }

    void fetch(Collection<String> keys) {
        List<String> missing = keys.stream().distinct().filter(key -> !documents.containsKey(key)).toList();
        for (int from = 0; from < missing.size(); from += MGET_SIZE) {
            List<String> chunk = new ArrayList<>(missing.subList(from, Math.min(from + MGET_SIZE, missing.size())));
            for (KeyValue<String, String> value : redis.mget(chunk.toArray(String[]::new))) {
                documents.put(value.getKey(), value.hasValue() ? Optional.of(value.getValue()) : Optional.empty());
            }
        }
    }

    Optional<String> get(String key) {
        return documents.computeIfAbsent(key, absent -> Optional.ofNullable(redis.get(absent)));
    }
}
