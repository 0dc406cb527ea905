package io.orderly.graphql;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.orderly.identity.WebSocketSessions;
import io.orderly.runtime.OrderlyProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.graphql.autoconfigure.GraphQlCorsProperties;
import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.webmvc.GraphQlWebSocketHandler;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;

/**
 * The graphql-ws endpoint: Spring for GraphQL's handler, which also registers each connection in
 * {@link WebSocketSessions} (so it can be closed when its token is refused or expires), closes
 * a connection that sends a message it cannot read with 4400, as the graphql-ws protocol says,
 * and closes one that stops reading with 1008 {@code SUBSCRIBER_TOO_SLOW}, each logged in one line.
 */
@Configuration(proxyBeanMethods = false)
class GraphQlWebSocketConfiguration {

    @Bean
    GraphQlWebSocketHandler graphQlWebSocketHandler(WebGraphQlHandler graphQlHandler, GraphQlProperties properties,
            GraphQlCorsProperties corsProperties, ObjectProvider<ServerHttpMessageConvertersCustomizer> customizers,
            WebSocketSessions sessions, OrderlyProperties orderly) {
        GraphQlProperties.Websocket websocket = properties.getWebsocket();
        // Without configured origins, only same-origin browser pages may connect (as Spring Boot's own handler does).
        CorsConfiguration cors = corsProperties.toCorsConfiguration();
        return new OrderlyWebSocketHandler(graphQlHandler, jsonConverter(customizers), websocket,
                cors == null ? new CorsConfiguration() : cors, sessions, orderly.subscriptions().sendTimeout());
    }

    @SuppressWarnings("unchecked")
    private static HttpMessageConverter<Object> jsonConverter(ObjectProvider<ServerHttpMessageConvertersCustomizer> customizers) {
        HttpMessageConverters.ServerBuilder builder = HttpMessageConverters.forServer().registerDefaults();
        customizers.forEach(customizer -> customizer.customize(builder));
        for (HttpMessageConverter<?> converter : builder.build()) {
            if (converter.canRead(Map.class, MediaType.APPLICATION_JSON)) {
                return (HttpMessageConverter<Object>) converter;
            }
        }
        throw new IllegalStateException("No JSON message converter");
    }

    private static final Logger log = LoggerFactory.getLogger(GraphQlWebSocketConfiguration.class);

    static final class OrderlyWebSocketHandler extends GraphQlWebSocketHandler {

        private static final CloseStatus INVALID_MESSAGE = new CloseStatus(4400, "Invalid message");

        private final WebSocketSessions sessions;
        private final Duration sendTimeout;
        private final Map<String, BoundedSends> bounded = new ConcurrentHashMap<>();

        OrderlyWebSocketHandler(WebGraphQlHandler handler, HttpMessageConverter<Object> json,
                GraphQlProperties.Websocket websocket, CorsConfiguration cors, WebSocketSessions sessions, Duration sendTimeout) {
            super(handler, json, websocket.getConnectionInitTimeout(), websocket.getKeepAlive(), cors);
            this.sessions = sessions;
            this.sendTimeout = sendTimeout;
        }

        @Override
        public void afterConnectionEstablished(WebSocketSession session) {
            BoundedSends decorated = new BoundedSends(session, sendTimeout);
            bounded.put(session.getId(), decorated);
            sessions.opened(decorated);
            super.afterConnectionEstablished(decorated);
        }

        @Override
        protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
            WebSocketSession decorated = bounded.get(session.getId());
            try {
                super.handleTextMessage(decorated == null ? session : decorated, message);
            }
            catch (HttpMessageNotReadableException | IllegalArgumentException e) {
                log.info("Closed graphql-ws connection {} from {}: unreadable message ({})", session.getId(),
                        session.getRemoteAddress(), e.getClass().getSimpleName());
                session.close(INVALID_MESSAGE);
            }
        }

        @Override
        public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
            sessions.closed(session.getId());
            BoundedSends decorated = bounded.remove(session.getId());
            super.afterConnectionClosed(decorated == null ? session : decorated, status);
        }
    }

    /**
     * A connection whose sends may block for at most the send timeout (Tomcat's blocking send
     * timeout, 20 s unless set). Every message of a connection is sent by one thread, so a client
     * that stops reading would hold its subscriptions' events, and the {@code SUBSCRIBER_TOO_SLOW}
     * error behind them, until the send failed and Spring logged it as an ERROR with a stack trace.
     * Here the failed send ends the connection, with 1008 and reason {@code SUBSCRIBER_TOO_SLOW} where
     * Tomcat has not closed it already, logged in one line; what is sent after it is dropped, as it
     * could never arrive.
     */
    static final class BoundedSends extends WebSocketSessionDecorator {

        static final CloseStatus TOO_SLOW = CloseStatus.POLICY_VIOLATION.withReason(ErrorCodes.SUBSCRIBER_TOO_SLOW.name());

        private static final String TOMCAT_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

        private final Duration sendTimeout;
        private volatile boolean stuck;

        BoundedSends(WebSocketSession session, Duration sendTimeout) {
            super(session);
            this.sendTimeout = sendTimeout;
            if (session instanceof NativeWebSocketSession nativeSession
                    && nativeSession.getNativeSession() instanceof jakarta.websocket.Session container) {
                container.getUserProperties().put(TOMCAT_SEND_TIMEOUT, sendTimeout.toMillis());
            }
        }

        @Override
        public void sendMessage(WebSocketMessage<?> message) throws IOException {
            if (stuck) {
                return;
            }
            try {
                super.sendMessage(message);
            }
            catch (IOException | IllegalStateException e) {
                stuck = true;
                if (!timedOut(e)) {
                    // Closed by the client meanwhile: nothing is lost that it still wanted.
                    log.debug("graphql-ws connection {} closed while sending: {}", getId(), e.toString());
                    return;
                }
                log.info("Closed graphql-ws connection {} from {}: it stopped reading, a send did not complete within {} ms ({})",
                        getId(), getRemoteAddress(), sendTimeout.toMillis(), ErrorCodes.SUBSCRIBER_TOO_SLOW);
                if (isOpen()) {
                    try {
                        close(TOO_SLOW);
                    }
                    catch (IOException | IllegalStateException closing) {
                        log.debug("Could not close graphql-ws connection {}: {}", getId(), closing.toString());
                    }
                }
            }
        }

        private static boolean timedOut(Throwable e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof SocketTimeoutException) {
                    return true;
                }
            }
            return false;
        }
    }
}
