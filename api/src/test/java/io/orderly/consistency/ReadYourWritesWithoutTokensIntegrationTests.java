package io.orderly.consistency;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.orderly.Customers;
import io.orderly.IntegrationTest;
import io.orderly.Orders;
import io.orderly.Products;
import io.orderly.TestIssuer;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.identity.UserRole;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.test.tester.GraphQlTester;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/** After its own mutation, a caller's next reads see it without any token; other callers do not wait for it. */
class ReadYourWritesWithoutTokensIntegrationTests extends IntegrationTest {

    /** A write the projector will never have applied: a WAL position far ahead, and a transaction id never applied. */
    private static final String UNREACHED_TOKEN = "7FFFFFFF/FFFFFFFF@4294967295";

    @Test
    void aCustomerListsTheOrderItHasJustPlacedEveryTime() {
        String productId = Products.create(graphQl, "2.50", 1000);
        String subject = TestIssuer.newSubject();
        GraphQlTester customer = graphQlAs(TestIssuer.token(subject, UserRole.CUSTOMER));
        String customerId = Customers.registerWithoutRead(customer, Customers.uniqueEmail(), "Grace Hopper").id();

        for (int round = 0; round < 20; round++) {
            String orderId = Orders.place(customer, customerId, List.of(Orders.line(productId, 1))).acceptedId();

            List<String> listed = customer.documentName("orderIds").execute()
                    .path("orders.edges[*].node.id").entityList(String.class).get();
            assertThat(listed).as("round %d", round).contains(orderId);
        }
    }

    @Test
    void aCallerSeesItsOwnRegistrationRightAway() {
        for (int round = 0; round < 10; round++) {
            GraphQlTester customer = graphQlAs(TestIssuer.token(TestIssuer.newSubject(), UserRole.CUSTOMER));
            String customerId = Customers.registerWithoutRead(customer, Customers.uniqueEmail(), "Grace Hopper").id();

            customer.documentName("me").execute().path("me.id").entity(String.class).isEqualTo(customerId);
        }
    }

    @Test
    void waitsOnlyForTheCallersOwnWritesAndNotBeforeAMutation() {
        String waiting = TestIssuer.newSubject();
        redis().set(ReadModelKeys.subjectToken(waiting), UNREACHED_TOKEN);
        GraphQlTester behind = graphQlAs(TestIssuer.token(waiting, UserRole.CUSTOMER));

        behind.documentName("products").execute()
                .errors().satisfy(errors -> assertThat(errors).singleElement()
                        .satisfies(error -> assertThat(error.getExtensions()).containsEntry("code", "CONSISTENCY_TIMEOUT")));
        Customers.registerWithoutRead(behind, Customers.uniqueEmail(), "Not delayed");
        graphQlAs(TestIssuer.token(TestIssuer.newSubject(), UserRole.CUSTOMER)).documentName("products").execute()
                .errors().verify()
                .path("products.totalCount").hasValue();
        anonymousGraphQl().documentName("products").execute().errors().verify();
    }

    @Test
    void aSubscriptionWaitsForTheCallersOwnWriteToo() {
        String waiting = TestIssuer.newSubject();
        redis().set(ReadModelKeys.subjectToken(waiting), UNREACHED_TOKEN);
        List<String> errors = new ArrayList<>();

        socketAs(TestIssuer.token(waiting, UserRole.CUSTOMER)).documentName("productChanged").variable("id", "6f1c1a52-0000-4000-8000-000000000000")
                .executeSubscription().toFlux("productChanged", Map.class)
                .onErrorResume(error -> {
                    errors.add(String.valueOf(error.getMessage()));
                    return Flux.empty();
                })
                .blockLast(Duration.ofSeconds(10));

        assertThat(errors).singleElement().satisfies(message -> assertThat(message).contains("CONSISTENCY_TIMEOUT"));
    }
}
