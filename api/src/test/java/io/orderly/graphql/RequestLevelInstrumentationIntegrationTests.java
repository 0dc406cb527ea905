package io.orderly.graphql;

import java.util.Objects;
import java.util.stream.Stream;

import graphql.TrivialDataFetcher;
import graphql.introspection.IntrospectionDataFetcher;
import graphql.schema.DataFetcher;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.GraphQlSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The application's GraphQL runs its instrumentations through the chain without per-field hooks. */
class RequestLevelInstrumentationIntegrationTests extends IntegrationTest {

    @Autowired
    GraphQlSource graphQlSource;

    @Test
    void chainsTheApplicationsInstrumentationsWithoutPerFieldHooks() {
        assertThat(graphQlSource.graphQl().getInstrumentation()).isInstanceOfSatisfying(RequestLevelInstrumentation.class,
                chain -> {
                    assertThat(chain.getInstrumentations()).hasSizeGreaterThan(10);
                    assertThat(chain.chainsPerFieldHooks()).isFalse();
                });
    }

    /**
     * Plain properties' fetchers are not offered to the instrumentations, so no root field may be
     * one: those that guard root fields (roles, consistency timeouts, a mutation's latest write)
     * would not see it.
     */
    @Test
    void noRootFieldIsFetchedAsAPlainProperty() {
        GraphQLSchema schema = graphQlSource.schema();
        for (GraphQLObjectType root : Stream.of(schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType())
                .filter(Objects::nonNull).toList()) {
            for (GraphQLFieldDefinition field : root.getFieldDefinitions()) {
                DataFetcher<?> fetcher = schema.getCodeRegistry().getDataFetcher(FieldCoordinates.coordinates(root, field), field);
                assertThat(fetcher instanceof TrivialDataFetcher<?> && !(fetcher instanceof IntrospectionDataFetcher<?>))
                        .as(root.getName() + "." + field.getName() + " is fetched by " + fetcher.getClass().getName()).isFalse();
            }
        }
    }
}
