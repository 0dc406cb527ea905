package io.orderly.graphql;

import java.util.Map;
import java.util.concurrent.Semaphore;

import io.orderly.IntegrationTest;
import io.orderly.TestIssuer;
import io.orderly.TightLimits;
import io.orderly.identity.UserRole;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Expensive queries run a few at a time: while every permit is taken, another is refused at once
 * with 503 and {@code SERVER_BUSY}, and cheap queries are still served. Runs against
 * {@link TightLimits}, where two queries above a cost of 100 may run at once; the test takes the
 * permits itself, as long-running heavy queries would.
 */
class ExpensiveQueriesIntegrationTests {

    @Test
    void refusesAnExpensiveQueryWhileEveryPermitIsTakenAndStillServesCheapOnes() {
        WebTestClient staff = TightLimits.client(TestIssuer.token(TestIssuer.newSubject(), UserRole.STAFF));
        Semaphore permits = TightLimits.application().getBean(ExpensiveQueries.class).permits();
        int taken = permits.drainPermits();
        try {
            EntityExchangeResult<byte[]> refused = TightLimits.post(staff, "expensiveProducts", Map.of());

            assertThat(refused.getStatus().value()).isEqualTo(503);
            assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
            assertThat(new String(refused.getResponseBodyContent())).contains("\"SERVER_BUSY\"").doesNotContain("\"data\"");
            assertThat(TightLimits.post(staff, "products", Map.of()).getStatus().value()).as("a cheap query").isEqualTo(200);
        }
        finally {
            permits.release(taken);
        }
        IntegrationTest.graphQlOn(TightLimits.port()).documentName("expensiveProducts").execute().errors().verify();
        assertThat(permits.availablePermits()).as("every permit given back").isEqualTo(taken);
    }
}
