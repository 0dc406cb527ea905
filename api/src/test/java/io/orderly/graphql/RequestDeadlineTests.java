package io.orderly.graphql;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import graphql.schema.DataFetcher;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.execution.DefaultExecutionGraphQlService;
import org.springframework.graphql.execution.GraphQlSource;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deadline on Spring for GraphQL's own execution service, with fields that take as long as the
 * test wants: {@code never} never answers, {@code soon} answers after a few times the timeout.
 */
class RequestDeadlineTests {

    private static final Duration TIMEOUT = Duration.ofMillis(100);

    private final List<CompletableFuture<String>> fetches = new CopyOnWriteArrayList<>();
    private final AtomicInteger waited = new AtomicInteger();

    private final WebGraphQlHandler handler = WebGraphQlHandler
            .builder(new DefaultExecutionGraphQlService(GraphQlSource.builder(schema())
                    .instrumentation(List.of(new RequestDeadline.InFlightFetches()))
                    .build()))
            .interceptor(new RequestDeadline(TIMEOUT))
            .build();

    /** The clock starts as the request is intercepted: a cold first execution alone could outlast 100 ms. */
    @BeforeEach
    void warmUp() {
        execute("{ now }");
    }

    @Test
    void answersAQueryPastTheTimeoutWithRequestTimeoutAndCancelsWhatItFetches() {
        WebGraphQlResponse response = execute("{ never }");

        assertThat(response.isValid()).isFalse();
        assertThat(response.getExecutionResult().isDataPresent()).as("data: null").isTrue();
        assertThat(response.getErrors()).singleElement().satisfies(error -> {
            assertThat(error.getExtensions()).containsEntry("code", "REQUEST_TIMEOUT");
            assertThat(error.getMessage()).contains("100 ms");
        });
        assertThat(fetches).singleElement().satisfies(fetch -> assertThat(fetch).isCancelled());
    }

    /**
     * Fields that wait for their value on the thread executing the query, as reads of Redis do on a
     * request thread ({@link io.orderly.runtime.RequestThreads}): the whole execution then happens
     * while the response is being subscribed to, and the deadline must still cut it.
     */
    @Test
    void answersAQueryWhoseFieldsWaitOnItsOwnThreadAtTheDeadlineAndFetchesNoMore() {
        long started = System.nanoTime();
        WebGraphQlResponse response = execute("{ a: waits b: waits c: waits d: waits e: waits f: waits g: waits h: waits }");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(response.getErrors()).singleElement()
                .satisfies(error -> assertThat(error.getExtensions()).containsEntry("code", "REQUEST_TIMEOUT"));
        assertThat(response.getExecutionResult().<Object>getData()).isNull();
        assertThat(waited.get()).as("fields that waited").isLessThanOrEqualTo(3);
        assertThat(took).isLessThan(TIMEOUT.multipliedBy(4));
    }

    @Test
    void answersQueriesWithinTheTimeout() {
        WebGraphQlResponse response = execute("{ now }");

        assertThat(response.getErrors()).isEmpty();
        assertThat(response.getExecutionResult().<Map<String, Object>>getData()).containsEntry("now", "now");
    }

    @Test
    void letsMutationsFinishTheirWrites() {
        WebGraphQlResponse response = execute("mutation { soon }");

        assertThat(response.getErrors()).isEmpty();
        assertThat(response.getExecutionResult().<Map<String, Object>>getData()).containsEntry("soon", "soon");
        assertThat(fetches).singleElement().satisfies(fetch -> assertThat(fetch).isCompleted());
    }

    @Test
    void leavesDocumentsThatDoNotParseToGraphQlJava() {
        WebGraphQlResponse response = execute("{ now");

        assertThat(response.getErrors()).extracting(ResponseError::getErrorType).extracting(Object::toString)
                .containsExactly("InvalidSyntax");
    }

    private WebGraphQlResponse execute(String document) {
        WebGraphQlRequest request = new WebGraphQlRequest(URI.create("http://localhost/graphql"), new HttpHeaders(),
                new LinkedMultiValueMap<>(), null, Map.of(), Map.of("query", document), "1", Locale.ENGLISH);
        return handler.handleRequest(request).block(Duration.ofSeconds(10));
    }

    private GraphQLSchema schema() {
        return new SchemaGenerator().makeExecutableSchema(
                new SchemaParser().parse("type Query { never: String now: String waits: String } type Mutation { soon: String }"),
                RuntimeWiring.newRuntimeWiring()
                        .type("Query", type -> type
                                .dataFetcher("never", fetch(CompletableFuture::new))
                                .dataFetcher("now", environment -> "now")
                                .dataFetcher("waits", fetch(() -> {
                                    waited.incrementAndGet();
                                    sleep(TIMEOUT.dividedBy(2));
                                    return CompletableFuture.completedFuture("waited");
                                })))
                        .type("Mutation", type -> type.dataFetcher("soon", fetch(() -> CompletableFuture.supplyAsync(() -> "soon",
                                CompletableFuture.delayedExecutor(TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS)))))
                        .build());
    }

    private DataFetcher<CompletableFuture<String>> fetch(Supplier<CompletableFuture<String>> fetching) {
        return environment -> {
            CompletableFuture<String> value = fetching.get();
            fetches.add(value);
            return value;
        };
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
