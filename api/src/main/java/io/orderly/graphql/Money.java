package io.orderly.graphql;

import java.math.BigDecimal;
import java.util.function.Function;
import java.util.function.Supplier;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.LightDataFetcher;

/** The GraphQL {@code Money}: an exact decimal amount as text, and its currency. */
public record Money(String amount, String currency) {

    public static Money of(BigDecimal amount, String currency) {
        return new Money(amount.setScale(2).toPlainString(), currency);
    }

    /**
     * The data fetcher of a {@code Money} field of a document: a trivial one, which graphql-java
     * calls with the document alone, as it calls property fetchers. A {@code @SchemaMapping} method
     * costs an environment, argument resolution and a reflective call per value, and a page of 50
     * orders has a few hundred amounts.
     */
    public static <S> LightDataFetcher<Money> field(Function<S, BigDecimal> amountOf, String currency) {
        return new LightDataFetcher<>() {
            @Override
            @SuppressWarnings("unchecked")
            public Money get(GraphQLFieldDefinition field, Object source, Supplier<DataFetchingEnvironment> environment) {
                return of(amountOf.apply((S) source), currency);
            }

            @Override
            public Money get(DataFetchingEnvironment environment) {
                return get(environment.getFieldDefinition(), environment.getSource(), () -> environment);
            }
        };
    }
}
