package io.orderly.feed;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.orderly.IntegrationTest;
import io.orderly.Products;
import io.orderly.TestIssuer;
import io.orderly.TightLimits;
import io.orderly.identity.UserRole;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.client.SubscriptionErrorException;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.graphql.test.tester.WebSocketGraphQlTester;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A connection may hold two active subscriptions and a caller three, in {@link TightLimits}: one
 * more is refused with {@code TOO_MANY_SUBSCRIPTIONS} while the others keep receiving, and a
 * subscription that ends frees its place.
 */
class SubscriptionCapsIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final HttpGraphQlTester staff = IntegrationTest.graphQlOn(TightLimits.port());
    private final SubscriptionCaps caps = TightLimits.application().getBean(SubscriptionCaps.class);

    @Test
    void refusesASubscriptionPastTheCapOfItsConnectionAndKeepsTheOthers() {
        String subject = TestIssuer.newSubject();
        WebSocketGraphQlTester socket = IntegrationTest.socketOn(TightLimits.port(), TestIssuer.token(subject, UserRole.STAFF));
        String productId = Products.create(staff, "3.00", 5);
        List<List<Object>> received = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        Disposable first = productChanged(socket, productId).subscribe(received.get(0)::add);
        Disposable second = productChanged(socket, productId).subscribe(received.get(1)::add);
        try {
            await().atMost(WAIT).until(() -> caps.activeFor("subject:" + subject) == 2);

            assertRefused(productChanged(socket, productId), "This connection has 2 active subscriptions");

            awaitEventsOnEach(productId, received);

            first.dispose();
            await().atMost(WAIT).until(() -> caps.activeFor("subject:" + subject) == 1);
            Disposable third = productChanged(socket, productId).subscribe();
            await().atMost(WAIT).until(() -> caps.activeFor("subject:" + subject) == 2);
            third.dispose();
        }
        finally {
            second.dispose();
            socket.stop().block();
        }
    }

    @Test
    void refusesASubscriptionPastTheCapOfItsCallerAcrossConnections() {
        String token = TestIssuer.token(TestIssuer.newSubject(), UserRole.CUSTOMER);
        WebSocketGraphQlTester one = IntegrationTest.socketOn(TightLimits.port(), token);
        WebSocketGraphQlTester other = IntegrationTest.socketOn(TightLimits.port(), token);
        String productId = Products.create(staff, "3.00", 5);
        List<List<Object>> received = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        List<Disposable> held = List.of(productChanged(one, productId).subscribe(received.get(0)::add),
                productChanged(one, productId).subscribe(received.get(1)::add),
                productChanged(other, productId).subscribe(received.get(2)::add));
        try {
            awaitEventsOnEach(productId, received);

            assertRefused(productChanged(other, productId), "You have 3 active subscriptions");
        }
        finally {
            held.forEach(Disposable::dispose);
            one.stop().block();
            other.stop().block();
        }
    }

    /** Changes the product until every subscription has received an event: each is active. */
    private void awaitEventsOnEach(String productId, List<List<Object>> received) {
        await().atMost(WAIT).until(() -> {
            Products.restock(staff, productId, 1);
            return received.stream().noneMatch(List::isEmpty);
        });
    }

    private static Flux<Object> productChanged(WebSocketGraphQlTester socket, String productId) {
        return socket.documentName("productChanged").variable("id", productId).executeSubscription()
                .toFlux("productChanged", Object.class);
    }

    private static void assertRefused(Flux<Object> subscription, String message) {
        assertThatThrownBy(() -> subscription.blockFirst(WAIT)).isInstanceOfSatisfying(SubscriptionErrorException.class, error ->
                assertThat(error.getErrors()).singleElement().satisfies(refusal -> {
                    assertThat(refusal.getExtensions()).containsEntry("code", "TOO_MANY_SUBSCRIPTIONS");
                    assertThat(refusal.getMessage()).contains(message);
                }));
    }
}
