package io.orderly.graphql;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.orderly.Customers;
import io.orderly.IntegrationTest;
import io.orderly.TestIssuer;
import io.orderly.TightLimits;
import io.orderly.identity.UserRole;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.test.tester.WebSocketGraphQlTester;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each caller has its own bucket: a subject, or an address when anonymous. Past its burst a caller
 * is refused with 429, {@code Retry-After} and {@code RATE_LIMITED} while every other caller is
 * served. Runs against {@link TightLimits}: a burst of 5, refilled by one a second.
 */
class RateLimitIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PRODUCTS = TightLimits.document("products");

    @Test
    void refusesACallerPastItsRateWhileAnotherCallerIsServed() {
        WebTestClient first = client(TestIssuer.token(TestIssuer.newSubject(), UserRole.CUSTOMER));
        WebTestClient second = client(TestIssuer.token(TestIssuer.newSubject(), UserRole.CUSTOMER));

        EntityExchangeResult<byte[]> refused = firstRefusal(first);

        assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotNull()
                .satisfies(seconds -> assertThat(Integer.parseInt(seconds)).isPositive());
        Map<String, Object> error = onlyError(refused.getResponseBodyContent());
        assertThat(error.get("message")).asString().contains("Too many requests");
        assertThat(error.get("extensions")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("code", "RATE_LIMITED")
                .hasEntrySatisfying("retryAfterSeconds", seconds -> assertThat(((Number) seconds).intValue()).isPositive());
        assertThat(post(second).getStatus().value()).as("another subject").isEqualTo(200);
    }

    @Test
    void aHeavyQueryTakesTokensInProportionToItsCost() {
        WebTestClient heavy = client(TestIssuer.token(TestIssuer.newSubject(), UserRole.CUSTOMER));
        WebTestClient light = client(TestIssuer.token(TestIssuer.newSubject(), UserRole.CUSTOMER));

        EntityExchangeResult<byte[]> first = TightLimits.post(heavy, "heavyProducts", Map.of());
        EntityExchangeResult<byte[]> second = TightLimits.post(heavy, "heavyProducts", Map.of());

        // Counted as requests, two would fit a burst of 5; by their cost, the first takes it all.
        assertThat(first.getStatus().value()).as("the first heavy query").isNotEqualTo(429);
        assertThat(second.getStatus().value()).as("a second heavy query within the burst").isEqualTo(429);
        assertThat(second.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotNull();
        assertThat(onlyError(second.getResponseBodyContent()).get("extensions")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("code", "RATE_LIMITED");
        for (int i = 0; i < TightLimits.BURST - 1; i++) {
            assertThat(post(light).getStatus().value()).as("simple queries of another caller").isEqualTo(200);
        }
    }

    @Test
    void refusesAHeavyQueryTheRestOfTheBucketCannotPayFor() {
        WebTestClient caller = client(TestIssuer.token(TestIssuer.newSubject(), UserRole.CUSTOMER));
        assertThat(post(caller).getStatus().value()).isEqualTo(200);

        EntityExchangeResult<byte[]> heavy = TightLimits.post(caller, "heavyProducts", Map.of());

        assertThat(heavy.getStatus().value()).isEqualTo(429);
        assertThat(heavy.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotNull();
        Map<String, Object> error = onlyError(heavy.getResponseBodyContent());
        assertThat(error.get("message")).asString().contains("cost");
        assertThat(error.get("extensions")).asInstanceOf(InstanceOfAssertFactories.MAP).containsEntry("code", "RATE_LIMITED")
                .containsKey("retryAfterSeconds");
    }

    @Test
    void aMutationTakesMoreThanAQuery() {
        WebTestClient customer = client(TestIssuer.token(TestIssuer.newSubject(), UserRole.CUSTOMER));
        assertThat(post(customer).getStatus().value()).isEqualTo(200);

        EntityExchangeResult<byte[]> mutation = TightLimits.post(customer, "registerCustomer",
                Map.of("input", Map.of("email", Customers.uniqueEmail(), "name", "Ada")));

        assertThat(mutation.getStatus().value()).as("a mutation weighs the whole bucket").isEqualTo(429);
        assertThat(post(customer).getStatus().value()).as("what is left is enough for a query").isEqualTo(200);
    }

    @Test
    void limitsAnonymousCallersByAddress() throws IOException {
        WebTestClient anonymous = TightLimits.client(null);

        assertThat(firstRefusal(anonymous).getStatus().value()).isEqualTo(429);

        assertThat(statusFrom(InetAddress.getByName("127.0.0.2"))).as("another address").isEqualTo(200);
        assertThat(post(client(TestIssuer.token(TestIssuer.newSubject(), UserRole.CUSTOMER))).getStatus().value())
                .as("a signed-in caller from the same address").isEqualTo(200);
    }

    @Test
    void refusesOperationsOverGraphQlWsWithTheSameCode() {
        WebSocketGraphQlTester socket = IntegrationTest.socketOn(TightLimits.port(), TestIssuer.token(TestIssuer.newSubject(), UserRole.CUSTOMER));
        try {
            for (int sent = 0; sent < TightLimits.BURST + 5; sent++) {
                List<String> codes = socket.documentName("products").execute().returnResponse().getErrors().stream()
                        .map(error -> String.valueOf(error.getExtensions().get("code"))).toList();
                if (!codes.isEmpty()) {
                    assertThat(sent).as("served up to the burst").isGreaterThanOrEqualTo(TightLimits.BURST);
                    assertThat(codes).containsExactly("RATE_LIMITED");
                    return;
                }
            }
            throw new AssertionError("never refused");
        }
        finally {
            socket.stop().block();
        }
    }

    /** Sends queries until one is refused, which must be after the burst. */
    private static EntityExchangeResult<byte[]> firstRefusal(WebTestClient client) {
        for (int sent = 0; sent < TightLimits.BURST + 5; sent++) {
            EntityExchangeResult<byte[]> result = post(client);
            if (result.getStatus().value() != 200) {
                assertThat(sent).as("served up to the burst").isGreaterThanOrEqualTo(TightLimits.BURST);
                assertThat(result.getStatus().value()).isEqualTo(429);
                return result;
            }
        }
        throw new AssertionError("never refused");
    }

    private static EntityExchangeResult<byte[]> post(WebTestClient client) {
        return TightLimits.post(client, "products", Map.of());
    }

    private static WebTestClient client(String token) {
        return TightLimits.client(token);
    }

    /** The status of the products query sent anonymously from this local address (loopback has all of 127/8). */
    private static int statusFrom(InetAddress local) throws IOException {
        byte[] body = JSON.writeValueAsBytes(Map.of("query", PRODUCTS));
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), TightLimits.port(), local, 0)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nConnection: close\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Integer.parseInt(response.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> onlyError(byte[] body) {
        List<Map<String, Object>> errors = (List<Map<String, Object>>) JSON.readValue(body, Map.class).get("errors");
        assertThat(errors).hasSize(1);
        return errors.get(0);
    }

}
