package io.orderly.feed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import io.orderly.IntegrationTest;
import io.orderly.Products;
import io.orderly.TestIssuer;
import io.orderly.TightLimits;
import io.orderly.identity.UserRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A graphql-ws client that subscribes and then stops reading its socket: once a send to it has
 * blocked for {@code orderly.subscriptions.send-timeout} (1 s in {@link TightLimits}, whose Tomcat
 * also keeps small socket buffers so that they fill in a few dozen events), its connection is
 * closed with 1008 {@code SUBSCRIBER_TOO_SLOW}, logged in one line and without an ERROR. The
 * client is a plain socket, since a WebSocket library reads on its own.
 */
@ExtendWith(OutputCaptureExtension.class)
class NonReadingSubscriberIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void closesAConnectionThatStopsReadingWithSubscriberTooSlow(CapturedOutput output) throws IOException {
        HttpGraphQlTester staff = IntegrationTest.graphQlOn(TightLimits.port());
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(1024);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), TightLimits.port()));
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            handshake(out, in);
            sendText(out, Map.of("type", "connection_init",
                    "payload", Map.of("Authorization", "Bearer " + TestIssuer.token(TestIssuer.newSubject(), UserRole.STAFF))));
            assertThat(readFrame(in)).contains("connection_ack");
            sendText(out, Map.of("id", "1", "type", "subscribe", "payload", Map.of("query", TightLimits.document("productChanges"))));

            String description = "Oiled walnut. ".repeat(140);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Map<String, Object> input = Products.newProduct();
                input.put("description", description);
                Products.create(staff, input);
                return output.getOut().contains("it stopped reading");
            });
        }
        assertThat(output.getOut()).containsOnlyOnce("it stopped reading")
                .contains("within 1000 ms (SUBSCRIBER_TOO_SLOW)")
                .doesNotContain("Closing session due to exception");
    }

    private static void handshake(OutputStream out, InputStream in) throws IOException {
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        out.write(("GET /graphql HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            head.write(in.read());
        }
        assertThat(head.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101");
    }

    /** A masked text frame, as a client must send. */
    private static void sendText(OutputStream out, Map<String, Object> message) throws IOException {
        byte[] payload = JSON.writeValueAsBytes(message);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        }
        else {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xFF);
        }
        byte[] mask = new byte[4];
        new SecureRandom().nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** One short unmasked frame from the server, as text. */
    private static String readFrame(InputStream in) throws IOException {
        in.read();
        int length = in.read() & 0x7F;
        if (length == 126) {
            length = (in.read() << 8) | in.read();
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
