package io.orderly.cdc.apply;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.readmodel.ReadModelKeys;
import org.jspecify.annotations.Nullable;

/**
 * The read-model documents as Redis holds them before a group of transactions is applied, each
 * read from Redis at most once: those the projections announce with one MGET per
 * {@value #MGET_SIZE} keys, sent without waiting, any other with a GET on first use.
 *
 * <p>For a part of a staged transaction the documents its earlier parts wrote, still in the
 * staging hash, lie over those readers see: {@link #get} answers with the staged version, and
 * {@link #committed} with the one readers see, which is the document before the transaction.
 */
final class StoredDocuments {

    private static final int MGET_SIZE = 1000;

    private final RedisCommands<String, String> redis;
    private final RedisAsyncCommands<String, String> async;
    private final Duration timeout;
    /** The staging hash of the transaction being staged, or null for transactions applied at once. */
    private final @Nullable String staged;
    private final Map<String, Optional<String>> documents = new HashMap<>();
    /** Documents found in the staging hash: an empty value is one the transaction deleted. */
    private final Map<String, Optional<String>> stagedDocuments = new HashMap<>();
    private final Set<String> lookedUpInStaging = new HashSet<>();
    private final List<RedisFuture<List<KeyValue<String, String>>>> fetching = new ArrayList<>();
    private final List<RedisFuture<List<KeyValue<String, String>>>> fetchingStaged = new ArrayList<>();

    StoredDocuments(RedisCommands<String, String> redis, RedisAsyncCommands<String, String> async, Duration timeout) {
        this(redis, async, timeout, null);
    }

    StoredDocuments(RedisCommands<String, String> redis, RedisAsyncCommands<String, String> async, Duration timeout,
            @Nullable String stagedDocumentsKey) {
        this.redis = redis;
        this.async = async;
        this.timeout = timeout;
        this.staged = stagedDocumentsKey;
    }

    /** Sends the MGETs for {@code keys}; their replies are taken when a document is first asked for. */
    void fetch(Collection<String> keys) {
        List<String> distinct = keys.stream().distinct().toList();
        for (int from = 0; from < distinct.size(); from += MGET_SIZE) {
            String[] chunk = distinct.subList(from, Math.min(from + MGET_SIZE, distinct.size())).toArray(String[]::new);
            fetching.add(async.mget(chunk));
            if (staged != null) {
                fetchingStaged.add(async.hmget(staged, chunk));
            }
        }
    }

    /** The document as the transaction being applied sees it so far. */
    Optional<String> get(String key) {
        if (staged == null) {
            return committed(key);
        }
        awaitFetched();
        if (lookedUpInStaging.add(key)) {
            remember(key, redis.hget(staged, key));
        }
        Optional<String> stagedValue = stagedDocuments.get(key);
        return stagedValue != null ? stagedValue : committed(key);
    }

    /** Whether an earlier part of the transaction being staged wrote or deleted the document. */
    boolean stagedEarlier(String key) {
        if (staged == null) {
            return false;
        }
        get(key);
        return stagedDocuments.containsKey(key);
    }

    /** The document as readers see it. */
    Optional<String> committed(String key) {
        awaitFetched();
        return documents.computeIfAbsent(key, absent -> Optional.ofNullable(redis.get(absent)));
    }

    private void awaitFetched() {
        for (RedisFuture<List<KeyValue<String, String>>> reply : fetching) {
            for (KeyValue<String, String> value : await(reply)) {
                documents.put(value.getKey(), value.hasValue() ? Optional.of(value.getValue()) : Optional.empty());
            }
        }
        fetching.clear();
        for (RedisFuture<List<KeyValue<String, String>>> reply : fetchingStaged) {
            for (KeyValue<String, String> value : await(reply)) {
                lookedUpInStaging.add(value.getKey());
                remember(value.getKey(), value.hasValue() ? value.getValue() : null);
            }
        }
        fetchingStaged.clear();
    }

    private void remember(String key, @Nullable String stagedValue) {
        if (stagedValue != null) {
            stagedDocuments.put(key, stagedValue.equals(ReadModelKeys.STAGED_DELETION) ? Optional.empty() : Optional.of(stagedValue));
        }
    }

    private <T> T await(RedisFuture<T> reply) {
        return LettuceFutures.awaitOrCancel(reply, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
