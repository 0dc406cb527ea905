package io.orderly.graphql;

import java.lang.reflect.Method;
import java.util.List;

import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.ExecuteObjectInstrumentationContext;
import graphql.execution.instrumentation.FieldFetchingInstrumentationContext;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionStrategyParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldCompleteParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldParameters;
import graphql.introspection.IntrospectionDataFetcher;
import graphql.schema.DataFetcher;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application's instrumentations chained as graphql-java's {@link ChainedInstrumentation}
 * chains them, except that the hooks graphql-java calls for every field and every object
 * (beginning a field, its fetch, its completion, an object) are not chained when none of the
 * instrumentations implements them. None does: they work per request, or wrap data fetchers. A
 * chain of a dozen instrumentations otherwise allocates and walks a context per instrumentation
 * and hook for every field, which was the largest cost of the engine on a page of orders (about
 * 1,500 fields). Data fetchers are still offered to every instrumentation, except those of plain
 * properties ({@linkplain InstrumentationFieldFetchParameters#isTrivialDataFetcher() trivial}
 * ones other than introspection's), which none of them wraps: most fields of a page are such properties, and offering each
 * to a dozen instrumentations cost about a tenth of the page.
 */
class RequestLevelInstrumentation extends ChainedInstrumentation {

    /** The hooks graphql-java calls per field or per object. */
    private static final List<String> PER_FIELD_HOOKS = List.of("beginFieldExecution", "beginFieldFetch",
            "beginFieldFetching", "beginFieldCompletion", "beginFieldListCompletion", "beginExecuteObject");

    private final boolean perFieldHooks;

    RequestLevelInstrumentation(List<Instrumentation> instrumentations) {
        super(instrumentations);
        this.perFieldHooks = instrumentations.stream().anyMatch(RequestLevelInstrumentation::implementsPerFieldHook);
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {

        /** Replaces the chain Spring for GraphQL builds of the same instrumentations, in the same order. */
        @Bean
        GraphQlSourceBuilderCustomizer requestLevelInstrumentation(ObjectProvider<Instrumentation> instrumentations) {
            return builder -> builder.configureGraphQl(graphQl ->
                    graphQl.instrumentation(new RequestLevelInstrumentation(instrumentations.orderedStream().toList())));
        }
    }

    /** Whether the per-field hooks are chained: only when one of the instrumentations implements one. */
    boolean chainsPerFieldHooks() {
        return perFieldHooks;
    }

    static boolean implementsPerFieldHook(Instrumentation instrumentation) {
        for (Method method : instrumentation.getClass().getMethods()) {
            Class<?> declaredBy = method.getDeclaringClass();
            if (PER_FIELD_HOOKS.contains(method.getName()) && declaredBy != Instrumentation.class
                    && declaredBy != SimplePerformantInstrumentation.class) {
                return true;
            }
        }
        return false;
    }

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> dataFetcher, InstrumentationFieldFetchParameters parameters,
            InstrumentationState state) {
        // Introspection's fetchers count as trivial too, and DeferNotSupported wraps one of them.
        if (parameters.isTrivialDataFetcher() && !(dataFetcher instanceof IntrospectionDataFetcher)) {
            return dataFetcher;
        }
        return super.instrumentDataFetcher(dataFetcher, parameters, state);
    }

    @Override
    public @Nullable InstrumentationContext<Object> beginFieldExecution(InstrumentationFieldParameters parameters,
            InstrumentationState state) {
        return perFieldHooks ? super.beginFieldExecution(parameters, state) : null;
    }

    @Override
    @SuppressWarnings("deprecation")
    public @Nullable InstrumentationContext<Object> beginFieldFetch(InstrumentationFieldFetchParameters parameters,
            InstrumentationState state) {
        return perFieldHooks ? super.beginFieldFetch(parameters, state) : null;
    }

    @Override
    public @Nullable FieldFetchingInstrumentationContext beginFieldFetching(InstrumentationFieldFetchParameters parameters,
            InstrumentationState state) {
        return perFieldHooks ? super.beginFieldFetching(parameters, state) : null;
    }

    @Override
    public @Nullable InstrumentationContext<Object> beginFieldCompletion(InstrumentationFieldCompleteParameters parameters,
            InstrumentationState state) {
        return perFieldHooks ? super.beginFieldCompletion(parameters, state) : null;
    }

    @Override
    public @Nullable InstrumentationContext<Object> beginFieldListCompletion(InstrumentationFieldCompleteParameters parameters,
            InstrumentationState state) {
        return perFieldHooks ? super.beginFieldListCompletion(parameters, state) : null;
    }

    @Override
    public @Nullable ExecuteObjectInstrumentationContext beginExecuteObject(InstrumentationExecutionStrategyParameters parameters,
            InstrumentationState state) {
        return perFieldHooks ? super.beginExecuteObject(parameters, state) : null;
    }
}
