package io.orderly.customer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import io.orderly.Customers;
import io.orderly.Customers.Registered;
import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.graphql.test.tester.GraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;

/** Refused customer commands: a typed error in the payload, and nothing written. */
class CustomerCommandValidationIntegrationTests extends IntegrationTest {

    static Stream<Arguments> invalidRegistrations() {
        String tooLongEmail = "a".repeat(250) + "@example.com";
        return Stream.of(
                Arguments.of("", "Ann", "email", "must not be blank"),
                Arguments.of("   ", "Ann", "email", "must not be blank"),
                Arguments.of("ann @example.com", "Ann", "email", "must not contain whitespace"),
                Arguments.of(" ann@example.com", "Ann", "email", "must not contain whitespace"),
                Arguments.of(tooLongEmail, "Ann", "email", "at most 254"),
                Arguments.of("ann.example.com", "Ann", "email", "must look like"),
                Arguments.of("ann@example", "Ann", "email", "must look like"),
                Arguments.of("ann@@example.com", "Ann", "email", "must look like"),
                Arguments.of(Customers.uniqueEmail(), "", "name", "must not be blank"),
                Arguments.of(Customers.uniqueEmail(), " \t ", "name", "must not be blank"),
                Arguments.of(Customers.uniqueEmail(), " Ann", "name", "must not start or end with whitespace"),
                Arguments.of(Customers.uniqueEmail(), "Ann\n", "name", "must not start or end with whitespace"),
                Arguments.of(Customers.uniqueEmail(), "A".repeat(101), "name", "at most 100"),
                Arguments.of(Customers.uniqueEmail(), "Ann\u0007Lee", "name", "control characters"),
                Arguments.of("ann\u0000@example.com", "Ann", "email", "control characters (U+0000 at character 4)"),
                Arguments.of("x\ud800y@example.com", "Ann", "email", "lone surrogate (U+D800 at character 2)"),
                Arguments.of("ada@example.com\u200B", "Ann", "email", "format characters"),
                Arguments.of("ann\u202E@example.com", "Ann", "email", "format characters"),
                Arguments.of("ann\u00A0lee@example.com", "Ann", "email", "must not contain whitespace"),
                Arguments.of(Customers.uniqueEmail(), "\u200B", "name", "format characters (U+200B at character 1)"),
                Arguments.of(Customers.uniqueEmail(), "Ann \u202Eeel", "name", "format characters (U+202E"),
                Arguments.of(Customers.uniqueEmail(), "Ann\u0000Lee", "name", "control characters"),
                Arguments.of(Customers.uniqueEmail(), "Ann\udc00", "name", "lone surrogate"));
    }

    @ParameterizedTest
    @MethodSource("invalidRegistrations")
    void refusesInvalidRegistrationAndWritesNothing(String email, String name, String field, String message) {
        long customersBefore = customerCount();

        GraphQlTester.Response response = graphQl.documentName("registerCustomer")
                .variable("input", Map.of("email", email, "name", name))
                .execute();

        response.path("registerCustomer.customer").valueIsNull()
                .path("registerCustomer.consistencyToken").valueIsNull();
        assertThat(Customers.errors(response, "registerCustomer")).singleElement().satisfies(error -> {
            assertThat(error).containsEntry("code", "VALIDATION").containsEntry("field", List.of("input", field));
            assertThat((String) error.get("message")).contains(message);
        });
        assertThat(customerCount()).isEqualTo(customersBefore);
    }

    @Test
    void reportsEveryInvalidFieldAtOnce() {
        GraphQlTester.Response response = graphQl.documentName("registerCustomer")
                .variable("input", Map.of("email", "nope", "name", ""))
                .execute();

        assertThat(Customers.errors(response, "registerCustomer"))
                .extracting(error -> error.get("field"))
                .containsExactly(List.of("input", "email"), List.of("input", "name"));
    }

    @Test
    void refusesAnEmailAlreadyTakenInAnyCase() {
        Registered existing = Customers.register(graphQl);
        long customersBefore = customerCount();

        GraphQlTester.Response response = graphQl.documentName("registerCustomer")
                .variable("input", Map.of("email", existing.email().toUpperCase(), "name", "Someone Else"))
                .execute();

        assertThat(Customers.errors(response, "registerCustomer")).singleElement().satisfies(error -> {
            assertThat(error).containsEntry("code", "DUPLICATE").containsEntry("field", List.of("input", "email"));
            assertThat((String) error.get("message")).contains("already exists");
        });
        assertThat(customerCount()).isEqualTo(customersBefore);
    }

    @Test
    void storesTheEmailNormalizedAndRefusesLookAlikesOfItAsDuplicates() {
        String local = "c-" + UUID.randomUUID();
        String fullWidth = local.toUpperCase().codePoints()
                .map(c -> c >= '!' && c <= '~' ? c - '!' + '\uFF01' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append) + "\uFF20Example.COM";
        Registered registered = Customers.register(graphQl, local.toUpperCase() + "@Example.COM", "Ada Lovelace");
        assertThat(storedCustomer(registered.id())).containsEntry("email", local + "@example.com");
        long customersBefore = customerCount();

        for (String lookAlike : List.of(local + "@example.com", local + "@EXAMPLE.com", fullWidth)) {
            GraphQlTester.Response response = graphQl.documentName("registerCustomer")
                    .variable("input", Map.of("email", lookAlike, "name", "Someone Else"))
                    .execute();

            assertThat(Customers.errors(response, "registerCustomer")).as(lookAlike).singleElement().satisfies(error -> {
                assertThat(error).containsEntry("code", "DUPLICATE").containsEntry("field", List.of("input", "email"));
                assertThat((String) error.get("message")).contains(local + "@example.com", "already exists");
            });
        }
        assertThat(customerCount()).isEqualTo(customersBefore);
    }

    @Test
    void refusesAnUpdateThatBreaksTheTextRuleAndLeavesTheCustomerAsItWas() {
        Registered customer = Customers.register(graphQl);

        for (Map<String, Object> change : List.<Map<String, Object>>of(Map.of("email", "ann\u0000@example.com"),
                Map.of("email", customer.email() + "\u200B"), Map.of("name", "\u200B\u200B"), Map.of("name", "x\ud800y"))) {
            Map<String, Object> input = new HashMap<>(change);
            input.putAll(Map.of("id", customer.id(), "expectedVersion", 1));

            assertThat(Customers.errors(update(input), "updateCustomer")).as(change.toString()).singleElement().satisfies(error ->
                    assertThat(error).containsEntry("code", "VALIDATION").containsEntry("field", List.of("input", change.keySet().iterator().next())));
        }
        assertThat(storedCustomer(customer.id()))
                .containsEntry("email", customer.email()).containsEntry("name", customer.name()).containsEntry("version", 1);
    }

    @Test
    void refusesAnUpdateToAnotherCustomersEmail() {
        Registered first = Customers.register(graphQl);
        Registered second = Customers.register(graphQl);

        GraphQlTester.Response response = update(Map.of("id", second.id(), "expectedVersion", 1, "email", first.email()));

        assertThat(Customers.errors(response, "updateCustomer")).singleElement()
                .satisfies(error -> assertThat(error).containsEntry("code", "DUPLICATE"));
        assertThat(storedCustomer(second.id())).containsEntry("email", second.email()).containsEntry("version", 1);
    }

    @Test
    void refusesAnUpdateBasedOnAStaleVersion() {
        Registered customer = Customers.register(graphQl);
        update(Map.of("id", customer.id(), "expectedVersion", 1, "name", "First Change"))
                .path("updateCustomer.errors").entityList(Object.class).hasSize(0);

        GraphQlTester.Response stale = update(Map.of("id", customer.id(), "expectedVersion", 1, "name", "Second Change"));

        assertThat(Customers.errors(stale, "updateCustomer")).singleElement().satisfies(error -> {
            assertThat(error).containsEntry("code", "VERSION_CONFLICT").containsEntry("field", List.of("input", "expectedVersion"));
            assertThat((String) error.get("message")).contains("is at version 2, not 1");
        });
        assertThat(storedCustomer(customer.id())).containsEntry("name", "First Change").containsEntry("version", 2);
    }

    @Test
    void refusesAnUpdateOfAnUnknownCustomer() {
        GraphQlTester.Response unknown = update(Map.of("id", "6f1c1a52-0000-4000-8000-000000000000", "expectedVersion", 1, "name", "X"));
        GraphQlTester.Response malformed = update(Map.of("id", "42", "expectedVersion", 1, "name", "X"));

        assertThat(Customers.errors(unknown, "updateCustomer")).singleElement()
                .satisfies(error -> assertThat(error).containsEntry("code", "NOT_FOUND").containsEntry("field", List.of("input", "id")));
        assertThat(Customers.errors(malformed, "updateCustomer")).singleElement()
                .satisfies(error -> assertThat(error).containsEntry("code", "NOT_FOUND"));
    }

    @Test
    void refusesAnUpdateThatChangesNothingOrBreaksARule() {
        Registered customer = Customers.register(graphQl);

        GraphQlTester.Response empty = update(Map.of("id", customer.id(), "expectedVersion", 1));
        GraphQlTester.Response invalid = update(Map.of("id", customer.id(), "expectedVersion", 1, "name", " padded "));

        assertThat(Customers.errors(empty, "updateCustomer")).singleElement()
                .satisfies(error -> assertThat(error).containsEntry("code", "VALIDATION"));
        assertThat(Customers.errors(invalid, "updateCustomer")).singleElement()
                .satisfies(error -> assertThat(error).containsEntry("code", "VALIDATION").containsEntry("field", List.of("input", "name")));
        assertThat(storedCustomer(customer.id())).containsEntry("name", customer.name()).containsEntry("version", 1);
    }

    @Test
    void answersMalformedRequestsWithGraphQlErrorsAndWritesNothing() {
        long customersBefore = customerCount();
        String email = Customers.uniqueEmail();

        List.of(
                "mutation { registerCustomer(input: {email: \"" + email + "\", name: \"Ann\"} { errors { code } } }",
                "mutation { registerCustomer(input: {email: \"" + email + "\", name: \"Ann\", vip: true}) { errors { code } } }",
                "mutation { registerCustomer(input: {email: \"" + email + "\", name: 42}) { errors { code } } }",
                "mutation { registerCustomer(input: {email: \"" + email + "\"}) { errors { code } } }",
                "mutation { registerCustomer(input: {email: \"" + email + "\", name: \"Ann\"}) { errors { severity } } }")
                .forEach(document -> graphQl.document(document).execute()
                        .errors().satisfy(errors -> assertThat(errors).isNotEmpty()));

        assertThat(customerCount()).isEqualTo(customersBefore);
    }

    private GraphQlTester.Response update(Map<String, Object> input) {
        return graphQl.documentName("updateCustomer").variable("input", input).execute();
    }

    private long customerCount() {
        return jdbc.sql("SELECT count(*) FROM customers").query(Long.class).single();
    }

    private Map<String, Object> storedCustomer(String id) {
        return jdbc.sql("SELECT email, name, version FROM customers WHERE id = :id::uuid")
                .param("id", id)
                .query().singleRow();
    }
}
