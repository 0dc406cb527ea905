package io.orderly.graphql;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import graphql.ExecutionResult;
import graphql.execution.preparsed.persisted.PersistedQuerySupport;
import io.orderly.TestProperties;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/** In trusted-documents mode only the manifest's documents run, by hash or with their text; nothing can be registered. */
class TrustedDocumentsTests {

    private static final String TRUSTED = "query trustedProducts { products(first: 1) { totalCount } }";
    private static final String TRUSTED_HASH = PersistedQueries.sha256(TRUSTED);

    private final PersistedQueries persistedQueries = new PersistedQueries(
            TestProperties.orderly(Map.of("graphql.trusted-documents", "classpath:trusted-documents.json")));

    @Test
    void runsATrustedDocumentByItsHash() {
        assertThat(run(null, TRUSTED_HASH)).isEqualTo(TRUSTED);
    }

    @Test
    void runsATrustedDocumentSentWithItsText() {
        assertThat(run(TRUSTED, null)).isEqualTo(TRUSTED);
        assertThat(run(TRUSTED, TRUSTED_HASH)).isEqualTo(TRUSTED);
    }

    @Test
    void refusesAnyOtherDocumentAndRegistersNothing() {
        String other = "{ products(first: 100) { totalCount } }";

        assertRefused(other, null, "TRUSTED_DOCUMENT_REQUIRED");
        assertRefused(other, PersistedQueries.sha256(other), "TRUSTED_DOCUMENT_REQUIRED");
        assertRefused(null, PersistedQueries.sha256(other), "PERSISTED_QUERY_NOT_FOUND");
    }

    /** The document that reached the rest of the chain, or null when the request was refused. */
    private String run(String document, String hash) {
        AtomicReference<String> ran = new AtomicReference<>();
        WebGraphQlInterceptor.Chain chain = request -> {
            ran.set(request.getDocument());
            return Mono.just(new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(),
                    ExecutionResult.newExecutionResult().data(Map.of()).build())));
        };
        persistedQueries.intercept(request(document, hash), chain).block(Duration.ofSeconds(5));
        return ran.get();
    }

    private void assertRefused(String document, String hash, String code) {
        AtomicReference<Boolean> ran = new AtomicReference<>(false);
        WebGraphQlResponse response = persistedQueries.intercept(request(document, hash), request -> {
            ran.set(true);
            return Mono.empty();
        }).block(Duration.ofSeconds(5));
        assertThat(ran.get()).isFalse();
        assertThat(response.getErrors()).singleElement()
                .satisfies(error -> assertThat(error.getExtensions()).containsEntry("code", code));
    }

    private static WebGraphQlRequest request(String document, String hash) {
        Map<String, Object> body = new HashMap<>();
        // A hash-only request carries graphql-java's marker as its document, as the HTTP transport makes it.
        body.put("query", document != null ? document : PersistedQuerySupport.PERSISTED_QUERY_MARKER);
        if (hash != null) {
            body.put("extensions", Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", hash)));
        }
        return new WebGraphQlRequest(URI.create("http://localhost/graphql"), new HttpHeaders(), new LinkedMultiValueMap<>(),
                (InetSocketAddress) null, Map.of(), body, "1", Locale.ENGLISH);
    }
}
