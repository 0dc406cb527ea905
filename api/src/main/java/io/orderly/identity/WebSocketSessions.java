package io.orderly.identity;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The open graphql-ws connections by session id, so that a connection can be closed with a
 * graphql-ws close code from outside the handler: when its token is refused or expires.
 */
@Component
public class WebSocketSessions {

    /** graphql-ws: the server refuses the connection's credentials (4403 Forbidden). */
    public static final int FORBIDDEN = 4403;

    private static final Logger log = LoggerFactory.getLogger(WebSocketSessions.class);

    private final Map<String, WebSocketSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, Disposable> expiries = new ConcurrentHashMap<>();

    public void opened(WebSocketSession session) {
        sessions.put(session.getId(), session);
    }

    public void closed(String sessionId) {
        sessions.remove(sessionId);
        Disposable expiry = expiries.remove(sessionId);
        if (expiry != null) {
            expiry.dispose();
        }
    }

    /** The number of open connections. */
    public int size() {
        return sessions.size();
    }

    void close(String sessionId, int code, String reason) {
        WebSocketSession session = sessions.get(sessionId);
        if (session != null && session.isOpen()) {
            try {
                session.close(new CloseStatus(code, reason));
            }
            catch (IOException e) {
                log.debug("Could not close WebSocket session {}: {}", sessionId, e.toString());
            }
        }
    }

    /** Closes the connection with 4403 when its token expires. */
    void closeWhenExpired(String sessionId, Instant expiresAt) {
        Duration left = Duration.between(Instant.now(), expiresAt);
        Disposable expiry = Mono.delay(left.isNegative() ? Duration.ZERO : left)
                .subscribe(tick -> close(sessionId, FORBIDDEN, "Token expired"));
        Disposable previous = expiries.put(sessionId, expiry);
        if (previous != null) {
            previous.dispose();
        }
        if (!sessions.containsKey(sessionId)) {
            closed(sessionId);
        }
    }
}
