package io.orderly.graphql;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import graphql.analysis.QueryTraverser;
import graphql.analysis.QueryVisitorFieldEnvironment;
import graphql.analysis.QueryVisitorStub;
import graphql.execution.CoercedVariables;
import graphql.language.Document;
import graphql.schema.GraphQLSchema;
import org.jspecify.annotations.Nullable;

/**
 * What an operation asks the read models for, counted before it runs: every selected field once,
 * multiplied along lists by their page size. A connection field weighs {@code first} (default
 * {@value PageRequest#DEFAULT_PAGE_SIZE}) times what it selects, and an order's {@code lines} as
 * many as an order may have ({@value #MAX_LINES_PER_ORDER}). So {@code orders(first: 50) { edges {
 * node { lines { product { name } } } } }} weighs about 50 × 100 × 2.
 *
 * <p>Costs are longs that saturate at {@link Long#MAX_VALUE}: a sum that wrapped past the largest
 * value would look cheap and run.
 */
final class QueryCost {

    static final int MAX_LINES_PER_ORDER = 100;

    private QueryCost() {
    }

    static long of(GraphQLSchema schema, Document document, @Nullable String operationName, CoercedVariables variables) {
        Map<@Nullable QueryVisitorFieldEnvironment, Long> childCosts = new HashMap<>();
        QueryTraverser.newQueryTraverser()
                .schema(schema)
                .document(document)
                .operationName(operationName)
                .coercedVariables(variables)
                .build()
                .visitPostOrder(new QueryVisitorStub() {
                    @Override
                    public void visitField(QueryVisitorFieldEnvironment field) {
                        long cost = fieldCost(field, childCosts.getOrDefault(field, 0L));
                        childCosts.merge(field.getParentEnvironment(), cost, QueryCost::saturatedAdd);
                    }
                });
        return childCosts.getOrDefault(null, 0L);
    }

    private static long fieldCost(QueryVisitorFieldEnvironment field, long children) {
        if (field.isTypeNameIntrospectionField()) {
            return 0;
        }
        return saturatedMultiply(saturatedAdd(1, children), multiplier(field));
    }

    private static long multiplier(QueryVisitorFieldEnvironment field) {
        if (field.getFieldDefinition().getArgument("first") != null) {
            Map<String, Object> arguments = field.getArguments();
            Object size = arguments.get("first") instanceof Integer first ? first : arguments.get("last");
            return size instanceof Integer page ? Math.max(page, 1) : PageRequest.DEFAULT_PAGE_SIZE;
        }
        if (field.getArguments().get("ids") instanceof List<?> ids) {
            return Math.max(ids.size(), 1);
        }
        return field.getFieldDefinition().getName().equals("lines") ? MAX_LINES_PER_ORDER : 1;
    }

    /** The sum of two non-negative costs, or {@link Long#MAX_VALUE} where it would overflow. */
    static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** The product of two non-negative costs, or {@link Long#MAX_VALUE} where it would overflow. */
    static long saturatedMultiply(long a, long b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }
}
