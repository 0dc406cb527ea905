package io.orderly.identity;

import java.util.Map;

import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Which roles may run each root field of the schema: the permission table of docs/security.md, in one
 * place. A root field the caller may not run fails with {@link AccessRefusedException} before its
 * resolver is called, so it reads and writes nothing; the other root fields of the request still
 * run. What a permitted caller may see of the data (a customer sees only its own) is decided
 * further in, by the resolvers.
 */
@Component
class OperationAccess extends SimplePerformantInstrumentation {

    /** Who may run a root field. */
    enum Rule {
        /** Anyone, with or without a token: the catalog. */
        PUBLIC,
        /** A caller with any of Orderly's roles; customers are limited to their own data. */
        ANY_ROLE,
        /** Staff and admins only. */
        STAFF
    }

    /** Root fields not listed here need {@link Rule#STAFF}: a new field is closed until someone opens it. */
    static final Map<String, Rule> RULES = Map.ofEntries(
            Map.entry("Query.product", Rule.PUBLIC),
            Map.entry("Query.productBySku", Rule.PUBLIC),
            Map.entry("Query.products", Rule.PUBLIC),
            Map.entry("Query.me", Rule.ANY_ROLE),
            Map.entry("Query.customer", Rule.ANY_ROLE),
            Map.entry("Query.customers", Rule.ANY_ROLE),
            Map.entry("Query.order", Rule.ANY_ROLE),
            Map.entry("Query.orders", Rule.ANY_ROLE),
            Map.entry("Query.projection", Rule.STAFF),
            // Public because products are: without a role node and nodes find only products, the
            // resolver deciding per document what the caller may see, as the types' own queries do.
            Map.entry("Query.node", Rule.PUBLIC),
            Map.entry("Query.nodes", Rule.PUBLIC),
            Map.entry("Mutation.registerCustomer", Rule.ANY_ROLE),
            Map.entry("Mutation.updateCustomer", Rule.ANY_ROLE),
            Map.entry("Mutation.placeOrder", Rule.ANY_ROLE),
            Map.entry("Mutation.payOrder", Rule.ANY_ROLE),
            Map.entry("Mutation.cancelOrder", Rule.ANY_ROLE),
            Map.entry("Mutation.shipOrder", Rule.STAFF),
            Map.entry("Mutation.deliverOrder", Rule.STAFF),
            Map.entry("Mutation.createProduct", Rule.STAFF),
            Map.entry("Mutation.updateProduct", Rule.STAFF),
            Map.entry("Mutation.restockProduct", Rule.STAFF),
            Map.entry("Subscription.productChanged", Rule.PUBLIC),
            Map.entry("Subscription.orderChanged", Rule.ANY_ROLE),
            Map.entry("Subscription.customerOrderChanged", Rule.ANY_ROLE),
            Map.entry("Subscription.changes", Rule.ANY_ROLE));

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> dataFetcher, InstrumentationFieldFetchParameters parameters,
            InstrumentationState state) {
        // Root fields only. Trivial fetchers first: asking a field for its path makes graphql-java build
        // its whole environment, which it spares the fields of plain properties.
        if (parameters.isTrivialDataFetcher() || parameters.getExecutionStepInfo().getPath().getLevel() != 1) {
            return dataFetcher;
        }
        String field = parameters.getField().getName();
        if (field.startsWith("__")) {
            return dataFetcher; // introspection
        }
        String coordinate = parameters.getExecutionStepInfo().getObjectType().getName() + "." + field;
        Rule rule = RULES.getOrDefault(coordinate, Rule.STAFF);
        return env -> {
            check(rule, env.getGraphQlContext().get(Caller.CONTEXT_KEY), field);
            return dataFetcher.get(env);
        };
    }

    static void check(Rule rule, @Nullable Caller caller, String operation) {
        if (rule == Rule.PUBLIC) {
            return;
        }
        if (caller == null || !caller.isAuthenticated()) {
            throw AccessRefusedException.unauthenticated(operation);
        }
        if (rule == Rule.STAFF && !caller.isStaff()) {
            throw AccessRefusedException.forbidden(operation, "STAFF");
        }
        if (rule == Rule.ANY_ROLE && caller.roles().isEmpty()) {
            throw AccessRefusedException.forbidden(operation, "CUSTOMER, STAFF or ADMIN");
        }
    }
}
