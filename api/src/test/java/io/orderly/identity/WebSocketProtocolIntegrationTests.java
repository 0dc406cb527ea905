package io.orderly.identity;

import java.time.Duration;

import io.orderly.IntegrationTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A graphql-ws client that breaks the protocol is closed with 4400 Invalid message, before or after it initialised. */
class WebSocketProtocolIntegrationTests extends IntegrationTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "{not json",
            "{\"type\":\"no-such-type\"}",
            "[1, 2, 3]",
            "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ a \\\\\"broken\\\\\" }\"}}"})
    void closesWith4400OnAnUnreadableMessageBeforeInit(String message) throws Exception {
        try (RawGraphQlSocket socket = RawGraphQlSocket.open(port)) {
            socket.send(message);

            assertThat(socket.closeCode(Duration.ofSeconds(10))).isEqualTo(4400);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "{\"type\":\"no-such-type\"}", "\"a string\""})
    void closesWith4400OnAnUnreadableMessageAfterInit(String message) throws Exception {
        try (RawGraphQlSocket socket = RawGraphQlSocket.open(port)) {
            socket.init(STAFF_TOKEN);
            await().until(() -> socket.messages().stream().anyMatch(received -> received.contains("connection_ack")));

            socket.send(message);

            assertThat(socket.closeCode(Duration.ofSeconds(10))).isEqualTo(4400);
        }
    }
}
