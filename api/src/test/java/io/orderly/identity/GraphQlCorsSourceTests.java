package io.orderly.identity;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.graphql.autoconfigure.GraphQlCorsProperties;
import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.DefaultCorsProcessor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CORS settings the security filter applies: {@code spring.graphql.cors.*} for the HTTP endpoint,
 * and nothing for a WebSocket upgrade, whose origin the handshake checks (as with Spring MVC's own mapping).
 */
class GraphQlCorsSourceTests {

    private static final String PAGE = "https://shop.example";

    private final CorsConfigurationSource source = SecurityConfiguration.corsOf(onlyPostFrom(PAGE), endpoint());

    @Test
    void aPostFromAnAllowedOriginIsAllowedAndAGetIsNotAsConfigured() throws Exception {
        assertThat(allowed(request("POST", PAGE))).isTrue();
        assertThat(allowed(request("GET", PAGE))).isFalse();
    }

    @Test
    void aWebSocketUpgradeIsLeftToTheHandshakeWhateverTheAllowedMethods() {
        MockHttpServletRequest upgrade = request("GET", PAGE);
        upgrade.addHeader(HttpHeaders.UPGRADE, "websocket");
        upgrade.addHeader(HttpHeaders.CONNECTION, "Upgrade");

        assertThat(source.getCorsConfiguration(upgrade)).isNull();
    }

    private boolean allowed(MockHttpServletRequest request) throws Exception {
        return new DefaultCorsProcessor().processRequest(source.getCorsConfiguration(request), request, new MockHttpServletResponse());
    }

    private static MockHttpServletRequest request(String method, String origin) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, "/graphql");
        request.setServerName("api.example");
        request.addHeader(HttpHeaders.ORIGIN, origin);
        return request;
    }

    private static GraphQlCorsProperties onlyPostFrom(String origin) {
        GraphQlCorsProperties cors = new GraphQlCorsProperties();
        cors.setAllowedOrigins(List.of(origin));
        cors.setAllowedMethods(List.of("POST"));
        return cors;
    }

    private static GraphQlProperties endpoint() {
        GraphQlProperties properties = new GraphQlProperties();
        properties.getWebsocket().setPath("/graphql");
        return properties;
    }
}
