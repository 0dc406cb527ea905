package io.orderly.graphql;

import java.util.Map;

import io.orderly.identity.WebSocketSessions;
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
import org.springframework.web.socket.WebSocketSession;

/**
 * The graphql-ws endpoint: Spring for GraphQL's handler, which also registers each connection in
 * {@link WebSocketSessions} (so it can be closed when its token is refused or expires) and closes
 * a connection that sends a message it cannot read with 4400, as the graphql-ws protocol says,
 * logged in one line.
 */
@Configuration(proxyBeanMethods = false)
class GraphQlWebSocketConfiguration {

    @Bean
    GraphQlWebSocketHandler graphQlWebSocketHandler(WebGraphQlHandler graphQlHandler, GraphQlProperties properties,
            GraphQlCorsProperties corsProperties, ObjectProvider<ServerHttpMessageConvertersCustomizer> customizers,
            WebSocketSessions sessions) {
        GraphQlProperties.Websocket websocket = properties.getWebsocket();
        // Without configured origins, only same-origin browser pages may connect (as Spring Boot's own handler does).
        CorsConfiguration cors = corsProperties.toCorsConfiguration();
        return new OrderlyWebSocketHandler(graphQlHandler, jsonConverter(customizers), websocket,
                cors == null ? new CorsConfiguration() : cors, sessions);
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

    static final class OrderlyWebSocketHandler extends GraphQlWebSocketHandler {

        private static final Logger log = LoggerFactory.getLogger(OrderlyWebSocketHandler.class);
        private static final CloseStatus INVALID_MESSAGE = new CloseStatus(4400, "Invalid message");

        private final WebSocketSessions sessions;

        OrderlyWebSocketHandler(WebGraphQlHandler handler, HttpMessageConverter<Object> json,
                GraphQlProperties.Websocket websocket, CorsConfiguration cors, WebSocketSessions sessions) {
            super(handler, json, websocket.getConnectionInitTimeout(), websocket.getKeepAlive(), cors);
            this.sessions = sessions;
        }

        @Override
        public void afterConnectionEstablished(WebSocketSession session) {
            sessions.opened(session);
            super.afterConnectionEstablished(session);
        }

        @Override
        protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
            try {
                super.handleTextMessage(session, message);
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
            super.afterConnectionClosed(session, status);
        }
    }
}
