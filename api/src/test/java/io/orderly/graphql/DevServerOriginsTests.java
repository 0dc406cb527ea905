package io.orderly.graphql;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** Local development servers are allowed cross-origin only in the zero-setup shape, and only by default. */
class DevServerOriginsTests {

    private static final String PATTERNS = "spring.graphql.cors.allowed-origin-patterns";

    @Test
    void allowsLocalDevServersInTheZeroSetupShape() {
        assertThat(afterPostProcessing(Map.of()).getProperty(PATTERNS)).isEqualTo("http://localhost:*,http://127.0.0.1:*");
    }

    @Test
    void allowsNothingByDefaultWithAnExternalDatabase() {
        assertThat(afterPostProcessing(Map.of("spring.datasource.url", "jdbc:postgresql://db/orderly")).getProperty(PATTERNS)).isNull();
    }

    @Test
    void leavesConfiguredOriginsAlone() {
        StandardEnvironment environment = afterPostProcessing(Map.of("spring.graphql.cors.allowed-origins[0]", "https://shop.example"));

        assertThat(environment.getProperty(PATTERNS)).isNull();
        assertThat(afterPostProcessing(Map.of(PATTERNS, "https://*.shop.example")).getProperty(PATTERNS)).isEqualTo("https://*.shop.example");
    }

    private static StandardEnvironment afterPostProcessing(Map<String, Object> settings) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("settings", settings));
        new DevServerOrigins().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }
}
