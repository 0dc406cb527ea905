package io.orderly.cdc.apply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * The writes of a group of transactions reduced to what they leave behind, queued inside MULTI as
 * few commands as that takes: the last value of each key (one {@code MSET} and one {@code DEL} per
 * {@value #PER_COMMAND} keys), and for each index whether each member ends in it or not (one
 * {@code ZADD} and one {@code ZREM} per index and {@value #PER_COMMAND} members). Every write of
 * the read models replaces a whole value or a whole member (indexes are lexicographic, all scores
 * 0), so only the last write to each counts; readers see the group at EXEC, all at once.
 */
final class NetWrites {

    /** Keys or members per command, so that no command grows without bound. */
    static final int PER_COMMAND = 1000;

    /** The last value of each key written; empty: deleted. */
    private final Map<String, Optional<String>> values = new LinkedHashMap<>();
    /** For each index, whether each member it was given or taken ends in it. */
    private final Map<String, Map<String, Boolean>> indexes = new LinkedHashMap<>();

    void set(String key, String value) {
        values.put(key, Optional.of(value));
    }

    void delete(String key) {
        values.put(key, Optional.empty());
    }

    void addToIndex(String index, String member) {
        indexes.computeIfAbsent(index, absent -> new LinkedHashMap<>()).put(member, true);
    }

    void removeFromIndex(String index, String member) {
        indexes.computeIfAbsent(index, absent -> new LinkedHashMap<>()).put(member, false);
    }

    /** Queues the writes on a connection inside MULTI, without waiting for their replies. */
    void queueInto(RedisAsyncCommands<String, String> transaction) {
        Map<String, String> set = new LinkedHashMap<>();
        List<String> deleted = new ArrayList<>();
        values.forEach((key, value) -> value.ifPresentOrElse(present -> set.put(key, present), () -> deleted.add(key)));
        for (List<String> keys : pages(new ArrayList<>(set.keySet()))) {
            Map<String, String> page = new LinkedHashMap<>();
            keys.forEach(key -> page.put(key, set.get(key)));
            transaction.mset(page);
        }
        pages(deleted).forEach(keys -> transaction.del(keys.toArray(String[]::new)));
        indexes.forEach((index, members) -> {
            List<String> added = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            members.forEach((member, present) -> (present ? added : removed).add(member));
            for (List<String> page : pages(added)) {
                @SuppressWarnings("unchecked")
                ScoredValue<String>[] scored = page.stream().map(member -> ScoredValue.just(0, member)).toArray(ScoredValue[]::new);
                transaction.zadd(index, scored);
            }
            pages(removed).forEach(page -> transaction.zrem(index, page.toArray(String[]::new)));
        });
    }

    private static List<List<String>> pages(List<String> items) {
        List<List<String>> pages = new ArrayList<>();
        for (int from = 0; from < items.size(); from += PER_COMMAND) {
            pages.add(items.subList(from, Math.min(from + PER_COMMAND, items.size())));
        }
        return pages;
    }
}
