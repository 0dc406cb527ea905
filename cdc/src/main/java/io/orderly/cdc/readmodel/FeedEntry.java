package io.orderly.cdc.readmodel;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One entry of the change feed ({@link ReadModelKeys#FEED}, a Redis Stream): a document that a
 * transaction created, updated or deleted, appended in the same atomic step that changed the read
 * model, so the document is already in its new state when the entry can be read.
 *
 * <p>Entries carry explicit stream ids {@code <sequence>-0}, numbered from 1 without gaps within
 * one feed epoch (see {@link ReadModelKeys#FEED_EPOCH}); a reader can therefore tell whether
 * entries after its position were trimmed away. {@code customerId} is set on order and customer entries: the customer they belong to.
 */
public record FeedEntry(
        long sequence,
        EntityType type,
        String id,
        Operation operation,
        Instant committedAt,
        String token,
        @Nullable String customerId) {

    public enum Operation {
        CREATED,
        UPDATED,
        DELETED
    }

    public String streamId() {
        return sequence + "-0";
    }

    public static long sequenceOf(String streamId) {
        return Long.parseLong(streamId.substring(0, streamId.indexOf('-')));
    }

    public Map<String, String> toFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("type", type.name());
        fields.put("id", id);
        fields.put("op", operation.name());
        fields.put("committedAt", committedAt.toString());
        fields.put("token", token);
        if (customerId != null) {
            fields.put("customerId", customerId);
        }
        return fields;
    }

    public static FeedEntry fromFields(String streamId, Map<String, String> fields) {
        return new FeedEntry(
                sequenceOf(streamId),
                EntityType.valueOf(fields.get("type")),
                fields.get("id"),
                Operation.valueOf(fields.get("op")),
                Instant.parse(fields.get("committedAt")),
                fields.get("token"),
                fields.get("customerId"));
    }
}
