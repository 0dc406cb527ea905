package io.orderly.identity;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachingJwtDecoderTests {

    private final AtomicInteger validations = new AtomicInteger();

    @Test
    void validatesAnAcceptedTokenOnce() {
        JwtDecoder decoder = new CachingJwtDecoder(token -> jwt(token, Instant.now().plusSeconds(60)), 10);

        Jwt first = decoder.decode("a");
        Jwt second = decoder.decode("a");

        assertThat(second).isSameAs(first);
        assertThat(validations).hasValue(1);
    }

    @Test
    void validatesARefusedTokenEveryTime() {
        JwtDecoder decoder = new CachingJwtDecoder(token -> {
            validations.incrementAndGet();
            throw new BadJwtException("refused");
        }, 10);

        assertThatThrownBy(() -> decoder.decode("bad")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> decoder.decode("bad")).isInstanceOf(BadJwtException.class);
        assertThat(validations).hasValue(2);
    }

    @Test
    void neverAnswersWithAnExpiredToken() {
        JwtDecoder decoder = new CachingJwtDecoder(token -> jwt(token, Instant.now().minusSeconds(1)), 10);

        decoder.decode("old");
        decoder.decode("old");

        assertThat(validations).hasValue(2);
    }

    private Jwt jwt(String token, Instant expiresAt) {
        validations.incrementAndGet();
        return Jwt.withTokenValue(token).header("alg", "RS256").subject("s")
                .issuedAt(expiresAt.minusSeconds(120)).expiresAt(expiresAt).build();
    }
}
