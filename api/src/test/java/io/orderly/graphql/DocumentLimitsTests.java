package io.orderly.graphql;

import java.util.Map;

import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.orderly.TestProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DocumentLimitsTests {

    @Test
    void parsesWithTheConfiguredTokenLimit() {
        ExecutionResult result = graphQl(10).execute("{ a a a a a a a a a a }");

        assertThat(result.getErrors()).singleElement()
                .satisfies(error -> assertThat(error.getMessage()).contains("More than 10 'grammar' tokens"));
    }

    @Test
    void refusesTheShapeBeforeValidatingTheFields() {
        ExecutionResult result = graphQl(1000).execute("{ unknown { " + "b: unknown ".repeat(31) + "} }");

        assertThat(result.getErrors()).singleElement()
                .satisfies(error -> assertThat(error.getExtensions()).containsEntry("code", "TOO_MANY_ALIASES"));
    }

    private static GraphQL graphQl(int maxTokens) {
        return GraphQL.newGraphQL(new SchemaGenerator().makeExecutableSchema(
                        new SchemaParser().parse("type Query { a: Int }"), RuntimeWiring.newRuntimeWiring().build()))
                .instrumentation(new DocumentLimits(TestProperties.orderly(Map.of("limits.max-tokens", String.valueOf(maxTokens))).limits()))
                .build();
    }
}
