package io.orderly.graphql;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import graphql.execution.CoercedVariables;
import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;

class QueryCostTests {

    private static final GraphQLSchema SCHEMA = orderlySchema();

    @Test
    void countsAQueryPastTheIntRangeWithoutWrapping() {
        long cost = cost(document("overflowingCost"), Map.of());

        assertThat(cost).isEqualTo(8 * 304_040_400L + 91_212_120L).isGreaterThan(Integer.MAX_VALUE);
    }

    @Test
    void weighsConnectionsByTheirPageSizeFromVariables() {
        String query = "query($n: Int) { orders(first: $n) { edges { node { id } } } }";

        assertThat(cost(query, Map.of("n", 50))).isEqualTo((1 + 1 + 1 + 1) * 50);
    }

    @Test
    void weighsConnectionsWithoutFirstByTheDefaultPage() {
        assertThat(cost("{ customers { totalCount } }", Map.of())).isEqualTo(2 * PageRequest.DEFAULT_PAGE_SIZE);
    }

    @Test
    void weighsBackwardPagesByLast() {
        assertThat(cost("{ orders(last: 30) { edges { node { id } } } }", Map.of())).isEqualTo(4 * 30);
    }

    @Test
    void weighsNodesByTheNumberOfIds() {
        assertThat(cost("{ nodes(ids: [\"a\", \"b\", \"c\"]) { id } }", Map.of())).isEqualTo(2 * 3);
    }

    @Test
    void weighsOrderLinesByTheMostAnOrderMayHave() {
        assertThat(cost("{ order(id: \"o\") { lines { sku } } }", Map.of()))
                .isEqualTo(1 + 2 * QueryCost.MAX_LINES_PER_ORDER);
    }

    @Test
    void saturatesAtTheLargestLongInsteadOfOverflowing() {
        String nested = "{ orders(first: 2147483647) { edges { node { customer { orders(first: 2147483647) { edges { node { "
                + "customer { orders(first: 2147483647) { edges { node { lines { id: sku } } } } } } } } } } } } }";

        assertThat(cost(nested, Map.of())).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void addsAndMultipliesUpToTheLargestLong() {
        assertThat(QueryCost.saturatedAdd(Long.MAX_VALUE - 1, 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(QueryCost.saturatedAdd(Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(QueryCost.saturatedAdd(Integer.MAX_VALUE, 1)).isEqualTo(Integer.MAX_VALUE + 1L);
        assertThat(QueryCost.saturatedMultiply(Long.MAX_VALUE / 2, 2)).isEqualTo(Long.MAX_VALUE - 1);
        assertThat(QueryCost.saturatedMultiply(Long.MAX_VALUE / 2 + 1, 2)).isEqualTo(Long.MAX_VALUE);
        assertThat(QueryCost.saturatedMultiply(3_037_000_500L, 3_037_000_500L)).isEqualTo(Long.MAX_VALUE);
        assertThat(QueryCost.saturatedMultiply(0, Long.MAX_VALUE)).isZero();
    }

    private static long cost(String query, Map<String, Object> variables) {
        return QueryCost.of(SCHEMA, Parser.parse(query), null, CoercedVariables.of(variables));
    }

    private static String document(String name) {
        try {
            return new ClassPathResource("graphql-test/" + name + ".graphql").getContentAsString(StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static GraphQLSchema orderlySchema() {
        TypeDefinitionRegistry types = new TypeDefinitionRegistry();
        try {
            for (Resource file : new PathMatchingResourcePatternResolver().getResources("classpath:graphql/*.graphqls")) {
                try (Reader reader = new InputStreamReader(file.getInputStream(), StandardCharsets.UTF_8)) {
                    types.merge(new SchemaParser().parse(reader));
                }
            }
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return UnExecutableSchemaGenerator.makeUnExecutableSchema(types);
    }
}
