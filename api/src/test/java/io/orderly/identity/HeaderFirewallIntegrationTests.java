package io.orderly.identity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's firewall on real requests: a header value with a control character is refused
 * before anything runs, a tab passes, as with Spring Security's own rule (which checks a header
 * when the application reads it). Sent over a raw socket,
 * since HTTP clients refuse to send such headers; Tomcat passes bytes 0x80 to 0xFF through (as
 * ISO-8859-1), so 0x85, a C1 control, reaches the firewall.
 */
class HeaderFirewallIntegrationTests extends IntegrationTest {

    @Test
    void refusesAMutationWithAControlCharacterInAHeaderAndWritesNothing() throws IOException {
        String email = "firewall-" + UUID.randomUUID() + "@example.com";

        String response = register(email, STAFF_TOKEN + "\u0085", "application/json");

        // 400 from the firewall, not the 401 of a token the resolver cannot read.
        assertThat(response).startsWith("HTTP/1.1 400").doesNotContain("registerCustomer");
        assertThat(jdbc.sql("SELECT count(*) FROM customers WHERE email = ?").param(email).query(Long.class).single()).isZero();
    }

    @Test
    void letsATabInAHeaderValuePass() throws IOException {
        String email = "firewall-" + UUID.randomUUID() + "@example.com";

        String response = register(email, STAFF_TOKEN, "application/json,\tapplication/graphql-response+json");

        assertThat(response).startsWith("HTTP/1.1 200").contains("\"errors\":[]");
    }

    private String register(String email, String token, String accept) throws IOException {
        byte[] body = ("{\"query\":\"mutation { registerCustomer(input: {email: \\\"" + email
                + "\\\", name: \\\"Firewall\\\"}) { customerId errors { code } } }\"}").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(("POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + "Authorization: Bearer " + token + "\r\nAccept: " + accept
                + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        request.write(body);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write(request.toByteArray());
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
