package io.orderly.graphql;

import java.time.Duration;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.orderly.Customers;
import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a public endpoint refuses before running anything: too large, too deep, too much work, and
 * documents shaped to hurt (many aliases, root fields or mutations, fragments that expand or nest).
 * Documents that only make sense generated are built here rather than kept as files.
 */
@ExtendWith(OutputCaptureExtension.class)
class QueryLimitsIntegrationTests extends IntegrationTest {

    @Test
    void refusesQueriesNestedTooDeeply() {
        String deep = "{ orders(first: 1) { edges { node { customer { orders(first: 1) { edges { node { customer { "
                + "orders(first: 1) { edges { node { customer { orders(first: 1) { edges { node { id } } } } } } } } } } } } } } } }";

        graphQl.document(deep).execute().errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.getExtensions()).containsEntry("code", "QUERY_TOO_DEEP");
            assertThat(error.getMessage()).contains("at most 15");
        }));
    }

    @Test
    void refusesQueriesAskingForTooMuch() {
        String wide = "{ orders(first: 100) { edges { node { customer { orders(first: 100) { edges { node { "
                + "lines { product { name } } } } } } } } } }";

        graphQl.document(wide).execute().errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.getExtensions()).containsEntry("code", "QUERY_TOO_COMPLEX");
            assertThat(error.getMessage()).contains("at most 100000");
        }));
    }

    @Test
    void refusesInMillisecondsAQueryWhoseCostIsPastTheIntRange() {
        long started = System.nanoTime();

        graphQl.documentName("overflowingCost").execute().errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.getExtensions()).containsEntry("code", "QUERY_TOO_COMPLEX");
            assertThat(error.getMessage()).contains("complexity is 2523535320", "at most 100000");
        }));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void refusesMoreAliasesThanTheLimit() {
        String aliased = "{ projection { " + repeated(31, i -> "a" + i + ": state") + " } }";

        assertRefused(aliased, "TOO_MANY_ALIASES", "at most 30");
    }

    @Test
    void refusesMoreRootFieldsThanTheLimit() {
        String wide = "{ " + repeated(21, i -> "p" + i + ": projection { state }") + " }";

        assertRefused(wide, "TOO_MANY_ROOT_FIELDS", "at most 20");
    }

    @Test
    void refusesMoreMutationsThanTheLimitAndWritesNothing() {
        long customersBefore = customers();
        String registrations = "mutation { " + repeated(450, i -> "r" + i + ": registerCustomer(input: { email: \""
                + Customers.uniqueEmail() + "\", name: \"Ada\" }) { customerId }") + " }";

        assertRefused(registrations, "TOO_MANY_MUTATIONS", "at most 10");
        assertThat(customers()).isEqualTo(customersBefore);
    }

    @Test
    void refusesDocumentsThatExpandToTooManyNodes() {
        String doubling = "{ projection { ...F12 } } fragment F0 on ProjectionStatus { state } "
                + repeated(12, i -> "fragment F" + i + " on ProjectionStatus { ...F" + (i - 1) + " ...F" + (i - 1) + " }");

        assertRefused(doubling, "TOO_MANY_NODES", "at most 1000");
    }

    @Test
    void refusesAChainOf1500FragmentSpreadsWithATypedErrorLoggedInOneLine(CapturedOutput output) {
        assertRefused(spreadChain(1500), "TOO_MANY_FRAGMENTS", "at most 100");

        assertThat(output.getAll().lines().filter(line -> line.contains("TOO_MANY_FRAGMENTS"))).singleElement()
                .asString().contains("Refused a GraphQL request before it ran");
        assertThat(output.getAll()).doesNotContain("StackOverflowError").doesNotContain("\tat graphql.");
    }

    @Test
    void refusesFragmentSpreadsNestedTooDeeply() {
        assertRefused(spreadChain(40), "FRAGMENTS_TOO_DEEP", "at most 32");
    }

    @Test
    void stopsParsingDocumentsWithMoreTokensThanTheLimit() {
        String longDocument = "{ projection { " + "state ".repeat(15_001) + "} }";

        graphQl.document(longDocument).execute().errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.getErrorType()).hasToString("InvalidSyntax");
            assertThat(error.getMessage()).contains("More than 15,000 'grammar' tokens");
        }));
    }

    @Test
    void acceptsTheUsualPageOfOrdersWithLinesAndCustomers() {
        graphQl.documentName("ordersPage").variable("first", 50).variable("status", "PAID").execute()
                .path("orders.totalCount").hasValue();
    }

    @Test
    void refusesRequestBodiesOverTheLimit() {
        String padding = "x".repeat(300_000);
        http().post().uri("/graphql").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", "{ projection { state } }", "variables", Map.of("padding", padding)))
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.errors[0].extensions.code").isEqualTo("REQUEST_TOO_LARGE");
    }

    private void assertRefused(String document, String code, String limit) {
        graphQl.document(document).execute().errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.getExtensions()).containsEntry("code", code);
            assertThat(error.getMessage()).contains(limit);
        }));
    }

    private long customers() {
        return jdbc.sql("select count(*) from customers").query(Long.class).single();
    }

    /** {@code { ...F1 }} where each fragment spreads the next and the last selects a field. */
    private static String spreadChain(int length) {
        return "{ ...F1 } " + repeated(length - 1, i -> "fragment F" + i + " on Query { ...F" + (i + 1) + " }")
                + " fragment F" + length + " on Query { projection { state } }";
    }

    private static String repeated(int times, IntFunction<String> part) {
        return IntStream.rangeClosed(1, times).mapToObj(part).collect(Collectors.joining(" "));
    }
}
