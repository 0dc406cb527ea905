package io.orderly.graphql;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.PropertyDataFetcher;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * graphql-java builds a field's {@link DataFetchingEnvironment} only when something asks for it,
 * and a plain property's fetcher never does; asking the fetch parameters for the field's name,
 * type or path asks for it. Instrumentations that wrap data fetchers must leave such fields alone
 * without asking: on a page of orders they are most of its 1,500 fields.
 */
class PlainPropertyFieldsTests {

    @Test
    void instrumentationsLeaveAPlainPropertyAloneWithoutBuildingItsEnvironment() {
        DataFetcher<?> property = PropertyDataFetcher.fetching("name");
        for (Instrumentation instrumentation : List.of(new DeferNotSupported(), new FailedConnections(),
                new RequestDeadline.InFlightFetches())) {
            AtomicInteger built = new AtomicInteger();
            InstrumentationFieldFetchParameters parameters = new InstrumentationFieldFetchParameters(null, () -> {
                built.incrementAndGet();
                throw new AssertionError("built the environment of a plain property");
            }, null, true);

            assertThat(instrumentation.instrumentDataFetcher(property, parameters, null)).as(instrumentation.getClass().getSimpleName())
                    .isSameAs(property);
            assertThat(built).as(instrumentation.getClass().getSimpleName()).hasValue(0);
        }
    }
}
