package io.orderly;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.graphql.test.tester.GraphQlTester;

/** Test data for customers: unique emails, and registering through the GraphQL API. */
public final class Customers {

    private Customers() {
    }

    public static String uniqueEmail() {
        return "c-" + UUID.randomUUID() + "@example.com";
    }

    /** A successfully registered customer as the mutation payload returned it. */
    public record Registered(String id, String email, String name, String token) {
    }

    public static Registered register(GraphQlTester graphQl) {
        return register(graphQl, uniqueEmail(), "Ada Lovelace");
    }

    public static Registered register(GraphQlTester graphQl, String email, String name) {
        return register(graphQl, "registerCustomer", "registerCustomer.customer.id", email, name);
    }

    /**
     * Registers without asking for the payload's customer, which would wait for the read model:
     * for writes made while the projector is stopped.
     */
    public static Registered registerWithoutRead(GraphQlTester graphQl, String email, String name) {
        return register(graphQl, "registerCustomerWithoutRead", "registerCustomer.customerId", email, name);
    }

    private static Registered register(GraphQlTester graphQl, String document, String idPath, String email, String name) {
        GraphQlTester.Response response = graphQl.documentName(document)
                .variable("input", Map.of("email", email, "name", name))
                .execute();
        response.path("registerCustomer.errors").entityList(Object.class).hasSize(0);
        String id = response.path(idPath).entity(String.class).get();
        String token = response.path("registerCustomer.consistencyToken").entity(String.class).get();
        return new Registered(id, email, name, token);
    }

    /** The errors of a refused register or update, as maps with code, field and message. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> errors(GraphQlTester.Response response, String mutation) {
        return response.path(mutation + ".errors").entity(List.class).get();
    }
}
