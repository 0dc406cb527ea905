package io.orderly.bench.baseline;

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
 * Parses and validates each distinct query text once, as Orderly does (its class of the same name),
 * so that the two servers differ in where they read their data from, not in how they handle GraphQL.
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
