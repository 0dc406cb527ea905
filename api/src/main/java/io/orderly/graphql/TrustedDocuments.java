package io.orderly.graphql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.core.io.Resource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a manifest of trusted documents in Apollo's persisted query manifest format
 * ({@code {"operations": [{"id": "<sha256 of body>", "body": "…"}]}}), as its client tooling writes
 * it, checking that every id is the hash of its body.
 */
final class TrustedDocuments {

    private TrustedDocuments() {
    }

    /** The documents by the lower-case hex SHA-256 of their text. */
    static Map<String, String> read(Resource manifest) {
        JsonNode operations;
        try (InputStream in = manifest.getInputStream()) {
            operations = JsonMapper.builder().build().readTree(in).path("operations");
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read the trusted documents " + manifest, e);
        }
        Map<String, String> documents = new LinkedHashMap<>();
        for (JsonNode operation : operations) {
            String body = operation.path("body").asString();
            String hash = PersistedQueries.sha256(body);
            if (!hash.equals(operation.path("id").asString().toLowerCase(Locale.ROOT))) {
                throw new IllegalStateException("Trusted document " + operation.path("name").asString()
                        + " in " + manifest + ": its id is not the SHA-256 of its body (" + hash + ")");
            }
            documents.put(hash, body);
        }
        if (documents.isEmpty()) {
            throw new IllegalStateException("The trusted documents " + manifest + " hold no operation");
        }
        return Map.copyOf(documents);
    }
}
