package io.orderly.projection;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import io.orderly.Customers;
import io.orderly.Customers.Registered;
import io.orderly.IntegrationTest;
import io.orderly.TestIssuer;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.orderly.cdc.readmodel.ConsistencyToken;
import io.orderly.cdc.readmodel.ProjectorStatus;
import io.orderly.identity.UserRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.test.tester.GraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A change the projector cannot apply stops it loudly, with the transaction and its position, and
 * is never skipped: reads go on (stale), and once the projection is fixed and the projector
 * restarted, the stream resumes at that very transaction.
 */
class PoisonChangeIntegrationTests extends IntegrationTest {

    @Autowired
    private ReadModelCheck check;

    /** The projector's read-model writer logs apply failures, with the transactions also as key-value pairs. */
    private final Logger engineLog = (Logger) LoggerFactory.getLogger("io.orderly.cdc.apply.ReadModelWriter");
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @AfterEach
    void fixedAndStreaming() {
        engineLog.detachAppender(logged);
        PoisonPill.fixed();
        if (projector.state() == ProjectorStatus.State.FAILED) {
            // Left failed by an assertion above: the other tests share this projector.
            projector.stop();
            projector.start();
        }
    }

    @Test
    void stopsAtAChangeItCannotApplyAndResumesThereOnceFixed() {
        logged.start();
        engineLog.addAppender(logged);
        PoisonPill.broken();
        Registered before = Customers.register(graphQl);
        Registered poison = Customers.registerWithoutRead(graphQl, Customers.uniqueEmail(), PoisonPill.NAME);

        await().atMost(Duration.ofSeconds(30)).until(() -> state().equals("FAILED"));
        String detail = graphQl.documentName("projection").execute().path("projection.detail").entity(String.class).get();
        assertThat(detail).contains("Cannot apply transaction")
                .contains(Long.toString(ConsistencyToken.parse(poison.token()).txId()))
                .contains("cannot handle a customer named " + PoisonPill.NAME);

        long poisonTxId = ConsistencyToken.parse(poison.token()).txId();
        assertThat(logged.list).filteredOn(event -> event.getLevel() == Level.ERROR).anySatisfy(event -> {
            Map<String, Object> fields = event.getKeyValuePairs().stream()
                    .collect(Collectors.toMap(pair -> pair.key, pair -> pair.value));
            assertThat(fields).containsKeys("slot", "firstPosition", "lastPosition");
            assertThat((Long) fields.get("firstTxId")).isLessThanOrEqualTo(poisonTxId);
            assertThat((Long) fields.get("lastTxId")).isGreaterThanOrEqualTo(poisonTxId);
        });

        Registered whileFailed = Customers.registerWithoutRead(graphQl, Customers.uniqueEmail(), "While Failed");
        customer(before.id()).path("customer.name").entity(String.class).isEqualTo(before.name());
        customer(poison.id()).path("customer").valueIsNull();
        customer(whileFailed.id()).path("customer").valueIsNull();

        PoisonPill.fixed();
        projector.stop();
        projector.start();

        // The restarted engine reconnects first; a consistent read gives up after 2 s, so ask until it answers.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> graphQl.documentName("customerConsistentWith")
                .variable("id", whileFailed.id()).variable("token", whileFailed.token())
                .execute().path("customer.name").entity(String.class).isEqualTo("While Failed"));
        customer(poison.id()).path("customer.name").entity(String.class).isEqualTo(PoisonPill.NAME);
        assertThat(state()).isEqualTo("STREAMING");
        assertThat(check.differences()).isEmpty();
    }

    private String state() {
        return graphQl.documentName("projection").execute().path("projection.state").entity(String.class).get();
    }

    /** The customer as staff who wrote nothing see it: their reads do not wait for the writes the projector is stuck before. */
    private GraphQlTester.Response customer(String id) {
        return graphQlAs(TestIssuer.token(TestIssuer.newSubject(), UserRole.STAFF)).documentName("customer").variable("id", id).execute();
    }
}
