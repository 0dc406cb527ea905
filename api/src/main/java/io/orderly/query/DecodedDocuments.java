package io.orderly.query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.orderly.cdc.readmodel.ReadModelJson;

/**
 * Documents already decoded, by key, reused for as long as Redis returns the same JSON for that key.
 * A page of orders decodes hundreds of documents, and decoding is the largest cost of Orderly's own
 * on the read path. Documents are immutable, and comparing the JSON makes a stale one impossible:
 * a changed document is decoded again.
 */
final class DecodedDocuments {

    private final Cache<String, Decoded> decoded;

    DecodedDocuments(long maximumSize) {
        this.decoded = Caffeine.newBuilder().maximumSize(maximumSize).build();
    }

    <T> T read(String key, String json, Class<T> type) {
        Decoded cached = decoded.getIfPresent(key);
        if (cached != null && type.isInstance(cached.document()) && cached.json().equals(json)) {
            return type.cast(cached.document());
        }
        T document = ReadModelJson.read(json, type);
        decoded.put(key, new Decoded(json, document));
        return document;
    }

    private record Decoded(String json, Object document) {
    }
}
