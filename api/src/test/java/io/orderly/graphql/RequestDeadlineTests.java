package io.orderly.graphql;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.schema.DataFetcher;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestDeadlineTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final AtomicLong now = new AtomicLong();
    private final List<String> fetched = new ArrayList<>();

    /** Each fetch of {@code slow} takes six seconds on the test's clock. */
    private final GraphQL graphQl = GraphQL.newGraphQL(new SchemaGenerator().makeExecutableSchema(
                    new SchemaParser().parse("type Query { slow: Int } type Mutation { slow: Int }"),
                    RuntimeWiring.newRuntimeWiring()
                            .type("Query", type -> type.dataFetcher("slow", slow("query")))
                            .type("Mutation", type -> type.dataFetcher("slow", slow("mutation")))
                            .build()))
            .instrumentation(new RequestDeadline(TIMEOUT, now::get))
            .build();

    @Test
    void stopsAQueryPastTheTimeoutBeforeItFetchesMore() {
        ExecutionResult result = graphQl.execute("{ a: slow b: slow c: slow }");

        assertThat(fetched).containsExactly("query", "query");
        assertThat(result.getErrors()).singleElement().satisfies(error -> {
            assertThat(error.getExtensions()).containsEntry("code", "REQUEST_TIMEOUT");
            assertThat(error.getMessage()).contains("10000 ms");
        });
    }

    @Test
    void answersQueriesWithinTheTimeout() {
        ExecutionResult result = graphQl.execute("{ a: slow }");

        assertThat(result.getErrors()).isEmpty();
        assertThat(result.<Object>getData()).isNotNull();
    }

    @Test
    void letsMutationsFinishTheirWrites() {
        ExecutionResult result = graphQl.execute("mutation { a: slow b: slow c: slow }");

        assertThat(result.getErrors()).isEmpty();
        assertThat(fetched).containsExactly("mutation", "mutation", "mutation");
    }

    private DataFetcher<Integer> slow(String operation) {
        return environment -> {
            fetched.add(operation);
            now.addAndGet(Duration.ofSeconds(6).toNanos());
            return 1;
        };
    }
}
