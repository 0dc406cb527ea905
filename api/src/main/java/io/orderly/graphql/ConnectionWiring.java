package io.orderly.graphql;

import java.util.List;

import graphql.schema.DataFetcher;
import graphql.schema.idl.FieldWiringEnvironment;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.WiringFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

/**
 * Resolves {@code totalCount} on every {@code *Connection} type. When a connection field fails
 * (a bad cursor, say), Spring for GraphQL substitutes an empty connection of its own for the
 * non-null field; this reports 0 for it, so the client sees the one error that matters.
 */
@Configuration(proxyBeanMethods = false)
class ConnectionWiring {

    @Bean
    RuntimeWiringConfigurer connectionTotalCount() {
        return new RuntimeWiringConfigurer() {
            @Override
            public void configure(RuntimeWiring.Builder builder) {
            }

            @Override
            public void configure(RuntimeWiring.Builder builder, List<WiringFactory> factories) {
                factories.add(new TotalCountWiring());
            }
        };
    }

    private static final class TotalCountWiring implements WiringFactory {

        @Override
        public boolean providesDataFetcher(FieldWiringEnvironment environment) {
            return environment.getParentType().getName().endsWith("Connection")
                    && environment.getFieldDefinition().getName().equals("totalCount");
        }

        @Override
        public DataFetcher<?> getDataFetcher(FieldWiringEnvironment environment) {
            return fetching -> fetching.getSource() instanceof Connection<?> connection ? connection.totalCount() : 0L;
        }
    }
}
