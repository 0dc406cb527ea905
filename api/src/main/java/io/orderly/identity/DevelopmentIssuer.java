package io.orderly.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * A token issuer for local development: signs RS256 tokens for any subject and roles with a key
 * kept in the data folder, so tokens stay valid across restarts. Anyone who can reach it can become
 * ADMIN: it only runs when Orderly runs its embedded servers, or when explicitly enabled.
 */
final class DevelopmentIssuer {

    static final String ISSUER = "orderly-development-issuer";
    static final String AUDIENCE = "orderly";
    static final Duration MAX_LIFETIME = Duration.ofDays(1);

    private final RSAKey key;

    private DevelopmentIssuer(RSAKey key) {
        this.key = key;
    }

    /** The issuer whose key is in {@code keyFile}, made there on first use (readable by its owner only). */
    static DevelopmentIssuer withKeyIn(Path keyFile) {
        try {
            if (Files.exists(keyFile)) {
                return new DevelopmentIssuer(RSAKey.parse(Files.readString(keyFile)));
            }
            RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
            Files.createDirectories(keyFile.getParent());
            Files.writeString(keyFile, key.toJSONString());
            try {
                Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            }
            catch (UnsupportedOperationException e) {
                // Not a POSIX file system: the data folder's own permissions apply.
            }
            return new DevelopmentIssuer(key);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the development issuer's key in " + keyFile, e);
        }
        catch (ParseException | JOSEException e) {
            throw new IllegalStateException("The development issuer's key in " + keyFile + " is unusable; delete the file", e);
        }
    }

    /** A token for this subject and roles, valid from now for {@code lifetime}. */
    String sign(String subject, Set<UserRole> roles, Duration lifetime) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .claim("roles", roles.stream().map(Enum::name).sorted().toList())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        }
        catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign a development token", e);
        }
        return jwt.serialize();
    }

    /** The public half of the key, as a JWK Set other processes can validate with ({@code jwk-set-uri}). */
    JWKSet publicKeys() {
        return new JWKSet(key.toPublicJWK());
    }

    /** Validates what this issuer signs exactly as the resource server validates any provider's tokens. */
    JwtDecoder decoder() {
        try {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(key.toRSAPublicKey()).build();
            decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(ISSUER),
                    new JwtClaimValidator<List<String>>(JwtClaimNames.AUD, audience -> audience != null && audience.contains(AUDIENCE))));
            return decoder;
        }
        catch (JOSEException e) {
            throw new IllegalStateException("The development issuer's key has no RSA public key", e);
        }
    }
}
