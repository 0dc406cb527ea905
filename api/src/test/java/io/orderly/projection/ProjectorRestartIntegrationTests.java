package io.orderly.projection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.orderly.Customers;
import io.orderly.Customers.Registered;
import io.orderly.IntegrationTest;
import io.orderly.TestIssuer;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.identity.UserRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.test.tester.GraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Stopping the projector delays the read models, and never loses or doubles a write. */
class ProjectorRestartIntegrationTests extends IntegrationTest {

    @AfterEach
    void projectorRunsAgain() {
        if (!projector.isRunning()) {
            projector.start();
        }
    }

    @Test
    void catchesUpAfterARestartWithNothingLostOrDoubled() {
        Registered beforeStop = Customers.register(graphQl);
        projector.stop();
        long indexedBefore = redis().zcard(ReadModelKeys.CUSTOMERS);

        List<Registered> whileStopped = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            whileStopped.add(Customers.registerWithoutRead(graphQl, Customers.uniqueEmail(), "Offline " + i));
        }
        String lastToken = null;
        for (Registered customer : whileStopped.subList(0, 5)) {
            lastToken = graphQl.documentName("updateCustomerWithoutRead")
                    .variable("input", Map.of("id", customer.id(), "expectedVersion", 1, "name", "Renamed offline"))
                    .execute()
                    .path("updateCustomer.consistencyToken").entity(String.class).get();
        }
        observer().documentName("customer").variable("id", whileStopped.get(0).id()).execute()
                .path("customer").valueIsNull();
        graphQl.documentName("projection").execute()
                .path("projection.state").entity(String.class).isEqualTo("STOPPED");

        projector.start();

        afterRestart(whileStopped.get(4).id(), lastToken)
                .path("customer.name").entity(String.class).isEqualTo("Renamed offline")
                .path("customer.version").entity(Integer.class).isEqualTo(2);
        for (int i = 0; i < whileStopped.size(); i++) {
            Registered customer = whileStopped.get(i);
            graphQl.documentName("customer").variable("id", customer.id()).execute()
                    .path("customer.email").entity(String.class).isEqualTo(customer.email())
                    .path("customer.version").entity(Integer.class).isEqualTo(i < 5 ? 2 : 1);
        }
        graphQl.documentName("customer").variable("id", beforeStop.id()).execute()
                .path("customer.version").entity(Integer.class).isEqualTo(1);
        assertThat(redis().zcard(ReadModelKeys.CUSTOMERS)).isEqualTo(indexedBefore + whileStopped.size());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> graphQl.documentName("projection").execute()
                .path("projection.state").entity(String.class).isEqualTo("STREAMING"));
    }

    @Test
    void keepsServingStaleReadsAndReportsTheLagWhileTheProjectorIsDown() {
        Registered customer = Customers.register(graphQl);
        projector.stop();

        String token = graphQl.documentName("updateCustomerWithoutRead")
                .variable("input", Map.of("id", customer.id(), "expectedVersion", 1, "name", "Renamed while down"))
                .execute()
                .path("updateCustomer.consistencyToken").entity(String.class).get();

        observer().documentName("customer").variable("id", customer.id()).execute()
                .path("customer.name").entity(String.class).isEqualTo(customer.name());
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> graphQl.documentName("projection").execute()
                .path("projection.state").entity(String.class).isEqualTo("STOPPED")
                // hasValue first: the command side samples the WAL every 2 s, so a field can still be null.
                .path("projection.lagBytes").hasValue().entity(Double.class).satisfies(bytes -> assertThat(bytes).isPositive())
                .path("projection.stalenessMillis").hasValue().entity(Double.class).satisfies(millis -> assertThat(millis).isPositive())
                .path("projection.slotRetainedBytes").hasValue().entity(Double.class).satisfies(bytes -> assertThat(bytes).isPositive()));

        projector.start();
        afterRestart(customer.id(), token)
                .path("customer.name").entity(String.class).isEqualTo("Renamed while down");
    }

    @Test
    void timesOutAConsistentReadWhileTheProjectorIsDown() {
        projector.stop();
        Registered customer = Customers.registerWithoutRead(graphQl, Customers.uniqueEmail(), "Patience");

        graphQl.documentName("customerConsistentWith")
                .variable("id", customer.id()).variable("token", customer.token())
                .execute()
                .errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(error -> {
                    assertThat(error.getExtensions()).containsEntry("code", "CONSISTENCY_TIMEOUT").containsKey("retryAfterMillis");
                    assertThat(error.getMessage()).contains(customer.token());
                }))
                .path("customer").valueIsNull();

        projector.start();
        afterRestart(customer.id(), customer.token())
                .path("customer.id").entity(String.class).isEqualTo(customer.id());
    }

    /**
     * A consistent read made as a client would after a restart: the engine's start can take longer than one
     * consistency wait on a busy machine, and CONSISTENCY_TIMEOUT says to retry, so retry until it answers.
     */
    private GraphQlTester.Response afterRestart(String customerId, String token) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> graphQl.documentName("customerConsistentWith")
                .variable("id", customerId).variable("token", token)
                .execute(), response -> response.returnResponse().getErrors().isEmpty());
    }

    /** Staff who wrote nothing: their reads do not wait for the writes made while the projector is down. */
    private GraphQlTester observer() {
        return graphQlAs(TestIssuer.token(TestIssuer.newSubject(), UserRole.STAFF));
    }
}
