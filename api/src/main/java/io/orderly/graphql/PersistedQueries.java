package io.orderly.graphql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.execution.preparsed.persisted.PersistedQuerySupport;
import io.orderly.runtime.OrderlyProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.Resource;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultGraphQlRequest;
import org.springframework.http.CacheControl;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Automatic persisted queries, Apollo's protocol: a request whose {@code extensions} carry
 * {@code persistedQuery: {version: 1, sha256Hash}} and no query runs the document registered
 * under that hash; sent with its text as well, the text must have that hash and is registered. A
 * hash this process does not know answers {@code PERSISTED_QUERY_NOT_FOUND} with HTTP 200, as
 * Apollo's servers do, and Apollo's clients then send the text. Works by POST and GET alike. At
 * most {@value #MAX_DOCUMENTS} documents are kept, the least recently used going first.
 *
 * <p>With {@code orderly.graphql.trusted-documents} set, only the documents of that manifest run:
 * by hash, or with a text whose hash is in it. Any other document is refused with
 * {@code TRUSTED_DOCUMENT_REQUIRED} before it is parsed, and clients cannot register their own.
 *
 * <p>The hash is resolved to its text here, ahead of the other interceptors, so that the role
 * guard, {@code @consistentWith} and the refusal of mutations by GET look at the document that
 * will run, and {@link DocumentCache} then parses it once like any other. graphql-java's
 * {@code ApolloPersistedQuerySupport} resolves the hash only inside execution, after all of them.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class PersistedQueries implements WebGraphQlInterceptor {

    static final int MAX_DOCUMENTS = 1000;

    private final Cache<String, String> documents = Caffeine.newBuilder().maximumSize(MAX_DOCUMENTS).build();
    private final @Nullable Map<String, String> trusted;

    PersistedQueries(OrderlyProperties properties) {
        Resource manifest = properties.graphql().trustedDocuments();
        this.trusted = manifest == null ? null : TrustedDocuments.read(manifest);
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        if (!(request.getExtensions().get("persistedQuery") instanceof Map<?, ?> persistedQuery)) {
            if (trusted != null && !trusted.containsKey(sha256(request.getDocument()))) {
                return refused(request, ErrorCodes.TRUSTED_DOCUMENT_REQUIRED,
                        "Only the documents this server trusts may run; send one of them, by hash or with its text");
            }
            return chain.next(request);
        }
        if (!Integer.valueOf(1).equals(persistedQuery.get("version")) || !(persistedQuery.get("sha256Hash") instanceof String hash)) {
            return refused(request, ErrorCodes.BAD_REQUEST, "Unsupported persisted query: expected version 1 and a sha256Hash");
        }
        String key = hash.toLowerCase(Locale.ROOT);
        if (!PersistedQuerySupport.PERSISTED_QUERY_MARKER.equals(request.getDocument())) {
            if (!sha256(request.getDocument()).equals(key)) {
                return refused(request, ErrorCodes.BAD_REQUEST, "The persisted query's sha256Hash does not match its query");
            }
            if (trusted != null && !trusted.containsKey(key)) {
                return refused(request, ErrorCodes.TRUSTED_DOCUMENT_REQUIRED,
                        "Only the documents this server trusts may run: this one is not among them");
            }
            if (trusted == null) {
                documents.put(key, request.getDocument());
            }
            return chain.next(request);
        }
        String document = trusted != null ? trusted.get(key) : documents.getIfPresent(key);
        if (document == null) {
            // Apollo's clients recognise this message, and resend the operation with its text.
            return refused(request, ErrorCodes.PERSISTED_QUERY_NOT_FOUND, "PersistedQueryNotFound")
                    .doOnNext(response -> response.getResponseHeaders().setCacheControl(CacheControl.noCache().cachePrivate().mustRevalidate()));
        }
        return chain.next(withDocument(request, document));
    }

    private static Mono<WebGraphQlResponse> refused(WebGraphQlRequest request, ErrorCodes code, String message) {
        return Mono.just(Requests.refused(request, code.error(message, null)));
    }

    private static WebGraphQlRequest withDocument(WebGraphQlRequest request, String document) {
        return new WebGraphQlRequest(request.getUri().toUri(), request.getHeaders(), request.getCookies(),
                request.getRemoteAddress(), request.getAttributes(),
                new DefaultGraphQlRequest(document, request.getOperationName(), request.getVariables(), request.getExtensions()),
                request.getId(), request.getLocale());
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
