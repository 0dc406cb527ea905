package io.orderly.cdc.apply;

import java.util.ArrayList;
import java.util.List;

import io.orderly.cdc.readmodel.ReadModelJson;
import org.jspecify.annotations.Nullable;

/**
 * The index writes of a staged part, encoded as {@link StagedSwitch} replays them: consecutive
 * writes of one kind to one index become one entry and one command, {@code ["zadd", index, member…]}
 * or {@code ["zrem", index, member…]}. Grouping only neighbours keeps the writes in their order.
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

    /** The entries, in order. */
    List<String> encoded() {
        flush();
        return encoded;
    }

    private void add(String kind, String key, String member) {
        start(kind, key);
        arguments.add(member);
    }

    private void start(String kind, String key) {
        if (!kind.equals(name) || !key.equals(index) || writes == GROUP) {
            flush();
            name = kind;
            index = key;
            arguments.add(kind);
            arguments.add(key);
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
