package io.orderly.identity;

import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers tokens it has validated, so that a client sending the same token with every request
 * pays for the signature check once rather than each time (it was about a third of a simple
 * query's cost). A remembered token is forgotten when it expires, and after {@link #REMEMBERED} at
 * the latest, so a key the provider rotates out stops being trusted within that time. Refused tokens
 * are not remembered: each attempt is validated again.
 */
final class CachingJwtDecoder implements JwtDecoder {

    static final Duration REMEMBERED = Duration.ofMinutes(5);

    private final JwtDecoder decoder;
    private final Cache<String, Jwt> validated;

    CachingJwtDecoder(JwtDecoder decoder, long maximumTokens) {
        this.decoder = decoder;
        this.validated = Caffeine.newBuilder()
                .maximumSize(maximumTokens)
                .expireAfter(Expiry.creating((String token, Jwt jwt) -> untilExpiry(jwt)))
                .build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt known = validated.getIfPresent(token);
        if (known != null && (known.getExpiresAt() == null || Instant.now().isBefore(known.getExpiresAt()))) {
            return known;
        }
        Jwt jwt = decoder.decode(token);
        validated.put(token, jwt);
        return jwt;
    }

    private static Duration untilExpiry(Jwt jwt) {
        if (jwt.getExpiresAt() == null) {
            return REMEMBERED;
        }
        Duration left = Duration.between(Instant.now(), jwt.getExpiresAt());
        return left.compareTo(REMEMBERED) < 0 ? (left.isNegative() ? Duration.ZERO : left) : REMEMBERED;
    }
}
