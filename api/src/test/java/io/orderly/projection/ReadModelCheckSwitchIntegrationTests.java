package io.orderly.projection;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.api.StatefulRedisConnection;
import io.orderly.IntegrationTest;
import io.orderly.cdc.readmodel.ReadModelKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While a staged transaction is being copied into place ({@link ReadModelKeys#SWITCH} set), the
 * read-model check waits for the copy to end before it compares, and says so if it does not end.
 */
class ReadModelCheckSwitchIntegrationTests extends IntegrationTest {

    private static final String COPYING = "being copied into place";

    @Autowired
    private ReadModelCheck check;

    @Autowired
    private StatefulRedisConnection<String, String> readModelConnection;

    private final String staged = ReadModelKeys.stagedDocuments("check-test-" + UUID.randomUUID());

    @AfterEach
    void removeTheSwitch() {
        // A marker left behind would change every other test's reads.
        redis().del(ReadModelKeys.SWITCH);
    }

    @Test
    void waitsUntilTheStagedTransactionIsCopiedBeforeComparing() throws Exception {
        redis().set(ReadModelKeys.SWITCH, staged);

        CompletableFuture<List<String>> differences = CompletableFuture.supplyAsync(check::differences);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !differences.isDone());
        redis().del(ReadModelKeys.SWITCH);

        assertThat(differences.get(60, TimeUnit.SECONDS)).noneMatch(difference -> difference.contains(COPYING));
    }

    @Test
    void reportsATransactionStillBeingCopiedAfterItsWait() {
        redis().set(ReadModelKeys.SWITCH, staged);

        List<String> differences = new ReadModelCheck(jdbc, readModelConnection, Duration.ofMillis(200)).differences();

        assertThat(differences).singleElement().asString().contains(COPYING, staged);
    }
}
