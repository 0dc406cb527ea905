package io.orderly.feed;

import java.time.Duration;
import java.util.Map;

import io.orderly.IntegrationTest;
import io.orderly.TestIssuer;
import io.orderly.identity.UserRole;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.core.Disposable;

import static org.awaitility.Awaitility.await;

/** A subscription stops counting against its caller's cap however it ends. */
class SubscriptionCapsReleaseIntegrationTests extends IntegrationTest {

    @Autowired
    private SubscriptionCaps caps;

    @Autowired
    private FeedReader feed;

    @Test
    void aDisposedSubscriptionNoLongerCounts() {
        String subject = TestIssuer.newSubject();
        int before = feed.subscriptions();
        Disposable subscription = socketAs(TestIssuer.token(subject, UserRole.STAFF)).documentName("customerChanges")
                .executeSubscription().toFlux("changes", Map.class).subscribe();
        await().atMost(Duration.ofSeconds(10)).until(() -> caps.activeFor("subject:" + subject) == 1 && feed.subscriptions() == before + 1);

        subscription.dispose();

        await().atMost(Duration.ofSeconds(10)).until(() -> caps.activeFor("subject:" + subject) == 0);
    }

    @Test
    void aSubscriptionRefusedForItsCallerDoesNotCount() {
        String subject = TestIssuer.newSubject();
        socketAs(TestIssuer.token(subject, UserRole.CUSTOMER)).document("subscription { projectionChanged }")
                .executeSubscription().toFlux().onErrorComplete().blockLast(Duration.ofSeconds(10));

        await().atMost(Duration.ofSeconds(10)).until(() -> caps.activeFor("subject:" + subject) == 0);
    }
}
