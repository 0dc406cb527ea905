package io.orderly.graphql;

import java.time.Duration;

import io.orderly.IntegrationTest;
import io.orderly.Orders;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.security.core.context.SecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;

/** The warm-up a query process runs before it reports ready, here for a fraction of a second. */
class WarmUpIntegrationTests extends IntegrationTest {

    @Autowired
    WebGraphQlHandler handler;

    @Test
    void runsTheTypicalReadsAsStaffWithoutErrorsAndLeavesNoIdentityOnTheThread() {
        Orders.placedOrder(graphQl, 1, 10);

        WarmUp.Outcome outcome = new WarmUp(handler, Duration.ofMillis(500)).run();

        // Per round: the page, one `order(id)` per order on it, products, customers.
        assertThat(outcome.orders()).isPositive();
        assertThat(outcome.reads()).isGreaterThanOrEqualTo(outcome.orders() + 3);
        assertThat(outcome.failed()).isZero();
        assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
    }
}
