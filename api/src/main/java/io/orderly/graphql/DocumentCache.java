package io.orderly.graphql;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Parses and validates each distinct query text once. Clients send the same few documents over and
 * over with different variables, and parsing plus validation was a sixth of the CPU samples of a
 * simple read. A document is kept only once it has passed the shape limits ({@link DocumentLimits},
 * which depend on the text alone); the cost limit still applies to every request, with its
 * variables, when the operation executes. Only valid documents are kept, at most
 * {@value #MAX_DOCUMENTS}, so that random query texts cannot make memory grow.
 */
@Configuration(proxyBeanMethods = false)
class DocumentCache implements PreparsedDocumentProvider {

    static final int MAX_DOCUMENTS = 1000;

    private final Map<String, PreparsedDocumentEntry> documents = new ConcurrentHashMap<>();

    @Bean
    GraphQlSourceBuilderCustomizer documentCacheCustomizer() {
        return builder -> builder.configureGraphQl(graphQl -> graphQl.preparsedDocumentProvider(this));
    }

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
            Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        PreparsedDocumentEntry cached = documents.get(input.getQuery());
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        PreparsedDocumentEntry entry = parseAndValidate.apply(input);
        if (!entry.hasErrors() && documents.size() < MAX_DOCUMENTS) {
            documents.putIfAbsent(input.getQuery(), entry);
        }
        return CompletableFuture.completedFuture(entry);
    }
}
