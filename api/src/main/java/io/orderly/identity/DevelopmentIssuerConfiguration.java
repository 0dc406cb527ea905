package io.orderly.identity;

import java.util.List;

import io.orderly.runtime.OrderlyProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * The development issuer ({@link DevelopmentIssuer}) and its endpoints under {@code /dev-issuer}.
 * On when {@code orderly.security.dev-issuer.enabled} says so; without that setting, on only in the
 * zero-setup shape: embedded PostgreSQL (no {@code spring.datasource.url}) and no token issuer
 * configured. Loudly logged when on.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(DevelopmentIssuerConfiguration.Enabled.class)
class DevelopmentIssuerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DevelopmentIssuerConfiguration.class);

    @Bean
    DevelopmentIssuer developmentIssuer(OrderlyProperties properties) {
        DevelopmentIssuer issuer = DevelopmentIssuer.withKeyIn(
                properties.embedded().dataDir().toAbsolutePath().resolve("dev-issuer").resolve("signing-key.json"));
        log.warn("""

                ********************************************************************************
                  DEVELOPMENT TOKEN ISSUER ON: POST /dev-issuer/token signs a token for any
                  subject and role, ADMIN included. For local use only. In production configure
                  spring.security.oauth2.resourceserver.jwt.* and leave this off.
                ********************************************************************************""");
        return issuer;
    }

    @Bean
    JwtDecoder developmentJwtDecoder(DevelopmentIssuer issuer) {
        return issuer.decoder();
    }

    static class Enabled extends SpringBootCondition {

        private static final List<String> ISSUER_SETTINGS = List.of(
                "spring.security.oauth2.resourceserver.jwt.issuer-uri",
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
                "spring.security.oauth2.resourceserver.jwt.public-key-location");

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Environment environment = context.getEnvironment();
            String explicit = environment.getProperty("orderly.security.dev-issuer.enabled");
            if (explicit != null) {
                return Boolean.parseBoolean(explicit)
                        ? ConditionOutcome.match("orderly.security.dev-issuer.enabled is true")
                        : ConditionOutcome.noMatch("orderly.security.dev-issuer.enabled is false");
            }
            if (environment.containsProperty("spring.datasource.url")) {
                return ConditionOutcome.noMatch("external PostgreSQL configured");
            }
            for (String setting : ISSUER_SETTINGS) {
                if (environment.containsProperty(setting)) {
                    return ConditionOutcome.noMatch(setting + " is set");
                }
            }
            return ConditionOutcome.match("zero-setup shape with no token issuer configured");
        }
    }
}
