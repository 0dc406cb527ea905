package io.orderly.graphql;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.client.StandardWebSocketClient;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Browser pages of other origins, as a front end on its development server is: in the zero-setup
 * shape pages from localhost and 127.0.0.1 on any port may call the API over HTTP and WebSocket,
 * pages from anywhere else may not.
 */
class CorsIntegrationTests extends IntegrationTest {

    private static final String DEV_SERVER = "http://localhost:5173";
    private static final String ELSEWHERE = "https://shop.example";

    @Test
    void aPreflightFromALocalDevServerPassesWithTheHeadersAClientSends() {
        preflight("http://127.0.0.1:3000")
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "http://127.0.0.1:3000")
                .expectHeader().value(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, methods -> assertThat(methods).contains("POST"))
                .expectHeader().value(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS,
                        headers -> assertThat(headers.toLowerCase()).contains("authorization").contains("content-type"));
    }

    @Test
    void aPreflightFromAnotherOriginIsRefused() {
        preflight(ELSEWHERE)
                .expectStatus().isForbidden()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
    }

    @Test
    void aQueryFromALocalDevServerMayBeReadByThePage() {
        http().post().uri("/graphql").header(HttpHeaders.ORIGIN, DEV_SERVER).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", "{ projection { state } }"))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, DEV_SERVER)
                .expectBody().jsonPath("$.data.projection.state").isNotEmpty();
    }

    @Test
    void aWebSocketFromALocalDevServerIsAccepted() {
        assertThat(openSocket(DEV_SERVER)).isEqualTo("graphql-transport-ws");
    }

    @Test
    void aWebSocketFromAnotherOriginIsRefused() {
        assertThatThrownBy(() -> openSocket(ELSEWHERE)).hasMessageContaining("403");
    }

    private WebTestClient.ResponseSpec preflight(String origin) {
        return anonymousHttp().options().uri("/graphql")
                .header(HttpHeaders.ORIGIN, origin)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization,content-type")
                .exchange();
    }

    /** Opens a graphql-ws connection from a page of this origin and closes it; the subprotocol agreed. */
    private String openSocket(String origin) {
        HttpHeaders headers = new HttpHeaders();
        headers.setOrigin(origin);
        String[] agreed = new String[1];
        WebSocketHandler handler = new WebSocketHandler() {
            @Override
            public List<String> getSubProtocols() {
                return List.of("graphql-transport-ws");
            }

            @Override
            public Mono<Void> handle(WebSocketSession session) {
                agreed[0] = session.getHandshakeInfo().getSubProtocol();
                return session.close();
            }
        };
        new StandardWebSocketClient().execute(URI.create("ws://localhost:" + port + "/graphql"), headers, handler)
                .block(Duration.ofSeconds(10));
        return agreed[0];
    }
}
