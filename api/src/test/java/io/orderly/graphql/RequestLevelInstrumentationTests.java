package io.orderly.graphql;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldParameters;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The chain that skips per-field hooks: what it still does, and when it falls back to the full chain. */
class RequestLevelInstrumentationTests {

    private static final GraphQLSchema SCHEMA = new SchemaGenerator().makeExecutableSchema(
            new SchemaParser().parse("type Query { greeting: String, items: [Item] } type Item { name: String }"),
            RuntimeWiring.newRuntimeWiring()
                    .type("Query", type -> type
                            .dataFetcher("greeting", environment -> "hello")
                            .dataFetcher("items", environment -> List.of(new Item("a"), new Item("b"))))
                    .build());

    record Item(String name) {
    }

    /** Wraps every data fetcher and counts operations, as Orderly's instrumentations do. */
    static class Wrapping extends SimplePerformantInstrumentation {

        final AtomicInteger operations = new AtomicInteger();

        @Override
        public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
                InstrumentationState state) {
            operations.incrementAndGet();
            return SimpleInstrumentationContext.noOp();
        }

        @Override
        public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> dataFetcher, InstrumentationFieldFetchParameters parameters,
                InstrumentationState state) {
            if (!parameters.getExecutionStepInfo().getPath().toString().equals("/greeting")) {
                return dataFetcher;
            }
            return environment -> dataFetcher.get(environment) + ", wrapped";
        }
    }

    /** Counts the fields begun: a per-field hook. */
    static class CountingFields extends SimplePerformantInstrumentation {

        final AtomicInteger fields = new AtomicInteger();

        @Override
        public InstrumentationContext<Object> beginFieldExecution(InstrumentationFieldParameters parameters, InstrumentationState state) {
            fields.incrementAndGet();
            return SimpleInstrumentationContext.noOp();
        }
    }

    @Test
    void stillRunsRequestHooksAndDataFetcherWrappersOfEveryInstrumentation() {
        Wrapping first = new Wrapping();
        Wrapping second = new Wrapping();

        ExecutionResult result = execute(List.of(first, second));

        assertThat(result.getErrors()).isEmpty();
        assertThat(result.<Object>getData()).hasToString("{greeting=hello, wrapped, wrapped, items=[{name=a}, {name=b}]}");
        assertThat(first.operations).hasValue(1);
        assertThat(second.operations).hasValue(1);
    }

    @Test
    void chainsPerFieldHooksAsGraphQlJavaDoesWhenAnInstrumentationImplementsOne() {
        CountingFields counting = new CountingFields();

        ExecutionResult result = execute(List.of(new Wrapping(), counting));

        assertThat(result.getErrors()).isEmpty();
        assertThat(counting.fields).hasValue(4);
    }

    @Test
    void offersEveryDataFetcherButThoseOfPlainPropertiesToTheInstrumentations() {
        SimplePerformantInstrumentation wrappingAll = new SimplePerformantInstrumentation() {
            @Override
            public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> dataFetcher, InstrumentationFieldFetchParameters parameters,
                    InstrumentationState state) {
                return environment -> {
                    Object value = dataFetcher.get(environment);
                    return value instanceof String text ? text + " (wrapped)" : value;
                };
            }
        };

        ExecutionResult result = GraphQL.newGraphQL(SCHEMA).instrumentation(new RequestLevelInstrumentation(List.of(wrappingAll)))
                .build().execute("{ greeting items { name } __schema { queryType { name } } }");

        assertThat(result.getErrors()).isEmpty();
        assertThat(result.<Object>getData()).hasToString(
                "{greeting=hello (wrapped), items=[{name=a}, {name=b}], __schema={queryType={name=Query (wrapped)}}}");
    }

    @Test
    void tellsWhichInstrumentationsImplementAPerFieldHook() {
        assertThat(RequestLevelInstrumentation.implementsPerFieldHook(new Wrapping())).isFalse();
        assertThat(RequestLevelInstrumentation.implementsPerFieldHook(new CountingFields())).isTrue();
    }

    private static ExecutionResult execute(List<Instrumentation> instrumentations) {
        return GraphQL.newGraphQL(SCHEMA).instrumentation(new RequestLevelInstrumentation(instrumentations)).build()
                .execute("{ greeting items { name } }");
    }
}
