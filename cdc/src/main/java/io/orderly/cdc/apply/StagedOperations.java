package io.orderly.cdc.apply;

import java.util.ArrayList;
import java.util.List;

import io.orderly.cdc.readmodel.ReadModelJson;
import org.jspecify.annotations.Nullable;

/**
 * The writes of a staged part other than its documents, encoded as the commit script replays
 * them: consecutive writes of one kind (and, for index members, to one index) become one entry
 * and one command, {@code ["zadd", index, member…]}, {@code ["zrem", index, member…]},
 * {@code ["set", key, value, key, value…]} or {@code ["del", key…]}. Grouping only neighbours
 * keeps the writes in their order.
 */
final class StagedOperations {

    /** The most writes in one entry, so that the script's command stays a reasonable size. */
    static final int GROUP = 500;

    private final List<String> encoded = new ArrayList<>();
    private final List<String> arguments = new ArrayList<>();
    private @Nullable String name;
    private @Nullable String index;
    private int writes;

    void addToIndex(String index, String member) {
        add("zadd", index, member);
    }

    void removeFromIndex(String index, String member) {
        add("zrem", index, member);
    }

    void set(String key, String value) {
        start("set", null);
        arguments.add(key);
        arguments.add(value);
    }

    void delete(String key) {
        start("del", null);
        arguments.add(key);
    }

    /** The entries, in order. */
    List<String> encoded() {
        flush();
        return encoded;
    }

    private void add(String kind, String key, String member) {
        start(kind, key);
        arguments.add(member);
    }

    private void start(String kind, @Nullable String key) {
        if (!kind.equals(name) || (key != null && !key.equals(index)) || writes == GROUP) {
            flush();
            name = kind;
            index = key;
            arguments.add(kind);
            if (key != null) {
                arguments.add(key);
            }
        }
        writes++;
    }

    private void flush() {
        if (!arguments.isEmpty()) {
            encoded.add(ReadModelJson.write(arguments));
            arguments.clear();
        }
        name = null;
        index = null;
        writes = 0;
    }
}
