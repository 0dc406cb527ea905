package io.orderly.identity;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebSocketGraphQlInterceptor;
import org.springframework.graphql.server.WebSocketSessionInfo;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Authenticates graphql-ws connections from the {@code connection_init} payload
 * ({@code {"Authorization": "Bearer <JWT>"}}), with the same decoder and claim mapping as HTTP
 * requests. Without a token the connection is anonymous (the catalog's subscriptions); a token
 * that does not validate closes it with 4403 before anything is subscribed, and a valid one closes
 * it with 4403 when it expires.
 */
@Component
@Order(-20)
class WebSocketAuthentication implements WebSocketGraphQlInterceptor {

    private static final Logger log = LoggerFactory.getLogger(WebSocketAuthentication.class);
    private static final String CALLER_ATTRIBUTE = WebSocketAuthentication.class.getName() + ".caller";
    private static final String BEARER = "bearer ";

    private final @Nullable JwtAuthenticationProvider tokens;
    private final WebSocketSessions sessions;

    WebSocketAuthentication(ObjectProvider<JwtDecoder> decoder, ObjectProvider<JwtAuthenticationConverter> converter,
            WebSocketSessions sessions) {
        JwtDecoder jwtDecoder = decoder.getIfAvailable();
        if (jwtDecoder == null) {
            this.tokens = null;
        }
        else {
            this.tokens = new JwtAuthenticationProvider(jwtDecoder);
            converter.ifAvailable(this.tokens::setJwtAuthenticationConverter);
        }
        this.sessions = sessions;
    }

    static Caller callerOf(WebSocketSessionInfo session) {
        Object caller = session.getAttributes().get(CALLER_ATTRIBUTE);
        return caller instanceof Caller known ? known : Caller.anonymous();
    }

    @Override
    public Mono<Object> handleConnectionInitialization(WebSocketSessionInfo session, Map<String, Object> payload) {
        Optional<String> token = bearerToken(payload);
        if (token.isEmpty()) {
            session.getAttributes().put(CALLER_ATTRIBUTE, Caller.anonymous());
            return Mono.empty();
        }
        try {
            if (tokens == null) {
                throw new IllegalStateException("this process validates no tokens (no issuer is configured)");
            }
            Authentication authentication = tokens.authenticate(new BearerTokenAuthenticationToken(token.get()));
            session.getAttributes().put(CALLER_ATTRIBUTE, Caller.of(authentication));
            Instant expiresAt = ((Jwt) authentication.getPrincipal()).getExpiresAt();
            if (expiresAt != null) {
                sessions.closeWhenExpired(session.getId(), expiresAt);
            }
            return Mono.empty();
        }
        catch (AuthenticationException | IllegalStateException e) {
            log.info("Refused graphql-ws connection {} from {}: {}", session.getId(), session.getRemoteAddress(), e.getMessage());
            sessions.close(session.getId(), WebSocketSessions.FORBIDDEN, "Forbidden");
            return Mono.error(e);
        }
    }

    /** The token of an {@code Authorization} entry (any case) of the payload, if it has one. */
    private static Optional<String> bearerToken(Map<String, Object> payload) {
        return payload.entrySet().stream()
                .filter(entry -> entry.getKey().equalsIgnoreCase("authorization") && entry.getValue() instanceof String)
                .map(entry -> ((String) entry.getValue()).strip())
                .map(value -> value.regionMatches(true, 0, BEARER, 0, BEARER.length()) ? value.substring(BEARER.length()).strip() : value)
                .findFirst();
    }
}
