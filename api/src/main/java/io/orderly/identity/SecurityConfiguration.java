package io.orderly.identity;

import io.orderly.runtime.OrderlyProperties;
import io.orderly.runtime.Role;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.graphql.autoconfigure.GraphQlCorsProperties;
import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Orderly as an OAuth2 resource server: a bearer JWT, validated by the decoder Spring Boot builds
 * from {@code spring.security.oauth2.resourceserver.jwt.*} (or the development issuer's), makes a
 * request someone's. {@code /graphql} itself admits anonymous requests, because the catalog is
 * public: which operations a caller may run is decided per field ({@link OperationAccess}). An
 * invalid token is refused with 401 and {@code WWW-Authenticate: Bearer}. Of the actuator, only
 * health (status only) is public; the rest needs ADMIN.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /** Scripts and styles only from this server: GraphiQL cannot be made to run injected code or be framed. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
            + "form-action 'self'; frame-ancestors 'none'";

    /** Whichever decoder validates tokens (Spring Boot's or the development issuer's) remembers the ones it accepted. */
    @Bean
    static BeanPostProcessor rememberValidatedTokens() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof JwtDecoder decoder && !(bean instanceof CachingJwtDecoder)
                        ? new CachingJwtDecoder(decoder, 10_000)
                        : bean;
            }
        };
    }

    /**
     * Every token must name its subject: Orderly binds customers to it. Spring Boot adds this check
     * to the decoder it builds from the {@code jwt.*} properties; the development issuer always sets it.
     */
    @Bean
    OAuth2TokenValidator<Jwt> subjectRequired() {
        return new JwtClaimValidator<String>(JwtClaimNames.SUB, subject -> subject != null && !subject.isBlank());
    }

    /**
     * No Micrometer observation of each security filter, authentication and authorization: a dozen
     * timers per request that cost on the hot path; {@code http.server.requests} still times requests.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SecurityFilterChain orderlySecurity(HttpSecurity http, ObjectProvider<JwtDecoder> decoder, OrderlyProperties properties,
            ObjectProvider<GraphQlCorsProperties> cors, GraphQlProperties graphQl) {
        RefusalResponses refusals = new RefusalResponses();
        // No cookies and no sessions: every request carries its own token, so there is nothing for CSRF to ride on.
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                // No session to end: a client that signs out drops its token.
                .logout(logout -> logout.disable())
                .cors(configurer -> configurer.configurationSource(corsOf(cors.getIfAvailable(), graphQl)))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(EndpointRequest.to("health")).permitAll()
                        .requestMatchers(EndpointRequest.toAnyEndpoint()).hasRole(UserRole.ADMIN.name())
                        .anyRequest().permitAll())
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(refusals).accessDeniedHandler(refusals))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)));
        if (decoder.getIfAvailable() != null) {
            http.oauth2ResourceServer(server -> server.jwt(Customizer.withDefaults())
                    .authenticationEntryPoint(refusals)
                    .accessDeniedHandler(refusals));
        }
        else if (properties.roles().contains(Role.COMMAND) || properties.roles().contains(Role.QUERY)) {
            throw new IllegalStateException("""
                    No token issuer is configured, so nobody could sign in. Set \
                    spring.security.oauth2.resourceserver.jwt.issuer-uri (or jwk-set-uri, or public-key-location) \
                    to your identity provider, or orderly.security.dev-issuer.enabled=true for local development only""");
        }
        return http.build();
    }

    /**
     * The {@code spring.graphql.cors.*} settings for the GraphQL endpoint over HTTP, given to the
     * security filter directly: left to find them itself, it would look up Spring MVC's handler for
     * every request, a cost on the hot path. A WebSocket upgrade gets none, as Spring MVC gives its
     * handler none: its {@code Origin} is checked by the handshake (Spring for GraphQL's origin
     * interceptor, from the same settings), and the methods and headers a page may use over HTTP
     * ({@code allowed-methods}, {@code allowed-headers}) are not the upgrade's to meet.
     */
    static CorsConfigurationSource corsOf(@Nullable GraphQlCorsProperties cors, GraphQlProperties graphQl) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        CorsConfiguration configured = cors == null ? null : cors.toCorsConfiguration();
        if (configured != null) {
            // As Spring MVC's registration of the same settings: its permissive defaults, then these.
            source.registerCorsConfiguration(graphQl.getHttp().getPath(), new CorsConfiguration().applyPermitDefaultValues().combine(configured));
        }
        return request -> "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE)) ? null : source.getCorsConfiguration(request);
    }
}
