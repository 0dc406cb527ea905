package io.orderly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.orderly.identity.UserRole;

/**
 * The identity provider of the tests: an RSA key made in the test JVM, its public half served as a
 * JWK Set over real HTTP on loopback, and tokens signed with it. The application validates them
 * through Spring Boot's own {@code jwk-set-uri} decoder with issuer and audience checks, exactly as
 * it validates a real provider's tokens.
 */
public final class TestIssuer {

    public static final String ISSUER = "https://issuer.orderly.test";
    public static final String AUDIENCE = "orderly";

    private static final RSAKey KEY = generateKey();
    private static final String JWKS_URI = serveKeys();

    private TestIssuer() {
    }

    /** The settings that point an Orderly application at this issuer, as {@code name=value}. */
    public static List<String> settings() {
        return List.of(
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + JWKS_URI,
                "spring.security.oauth2.resourceserver.jwt.issuer-uri=" + ISSUER,
                "spring.security.oauth2.resourceserver.jwt.audiences=" + AUDIENCE);
    }

    /** These command-line arguments followed by those that point the application at this issuer. */
    public static String[] withArguments(String... arguments) {
        return Stream.concat(Arrays.stream(arguments), settings().stream().map(setting -> "--" + setting)).toArray(String[]::new);
    }

    /** A valid token for this subject and roles, for an hour. */
    public static String token(String subject, UserRole... roles) {
        return token(subject, claims -> claims, roles);
    }

    /** A token for this subject and roles whose claims {@code change} may alter (expiry, issuer, …). */
    public static String token(String subject, UnaryOperator<JWTClaimsSet.Builder> change, UserRole... roles) {
        return sign(change.apply(validClaims(subject, roles)).build(), KEY);
    }

    /** A token signed by a key the application has never seen. */
    public static String tokenSignedByAnotherKey(String subject, UserRole... roles) {
        return sign(validClaims(subject, roles).build(), generateKey());
    }

    /** An unsigned token ({@code alg: none}). */
    public static String unsignedToken(String subject, UserRole... roles) {
        return new PlainJWT(validClaims(subject, roles).build()).serialize();
    }

    /** A subject no other test uses. */
    public static String newSubject() {
        return "user-" + UUID.randomUUID();
    }

    private static JWTClaimsSet.Builder validClaims(String subject, UserRole... roles) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now.minusSeconds(1)))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
                .claim("roles", Arrays.stream(roles).map(Enum::name).toList());
    }

    private static String sign(JWTClaimsSet claims, RSAKey key) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        }
        catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static RSAKey generateKey() {
        try {
            return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        }
        catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String serveKeys() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] body = new JWKSet(KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            server.createContext("/jwks.json", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.setExecutor(null);
            server.start();
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
