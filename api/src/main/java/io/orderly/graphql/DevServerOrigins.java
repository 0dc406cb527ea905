package io.orderly.graphql;

import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * In the zero-setup shape (embedded servers: no {@code spring.datasource.url}), lets browser pages
 * served by local development servers ({@value #PATTERNS}, any port) call {@code /graphql} over
 * HTTP and WebSocket, unless {@code spring.graphql.cors.allowed-origins} or
 * {@code allowed-origin-patterns} is set. It only supplies a default for Spring Boot's
 * {@code spring.graphql.cors.*}, which configures both; with an external database nothing is
 * allowed cross-origin that is not configured.
 */
class DevServerOrigins implements EnvironmentPostProcessor, Ordered {

    static final String PATTERNS = "http://localhost:*,http://127.0.0.1:*";

    private static final String CORS = "spring.graphql.cors.";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty("spring.datasource.url") || configured(environment, "allowed-origins")
                || configured(environment, "allowed-origin-patterns")) {
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource("orderlyDevServerOrigins",
                Map.of(CORS + "allowed-origin-patterns", PATTERNS)));
    }

    private static boolean configured(ConfigurableEnvironment environment, String name) {
        return Binder.get(environment).bind(CORS + name, Bindable.listOf(String.class)).isBound();
    }

    /** After the application's own configuration has been read. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
