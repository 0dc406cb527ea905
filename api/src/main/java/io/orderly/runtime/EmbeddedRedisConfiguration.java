package io.orderly.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import redis.embedded.RedisServer;

/**
 * Starts a real Redis server (a binary shipped in a Maven artifact) when no external Redis is
 * configured, with append-only persistence under {@code orderly.embedded.data-dir}.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedRedisConfiguration.NoExternalRedis.class)
class EmbeddedRedisConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedRedisConfiguration.class);

    @Bean(initMethod = "start", destroyMethod = "stop")
    RedisServer embeddedRedis(OrderlyProperties properties) throws IOException {
        Path dataDirectory = properties.embedded().dataDir().toAbsolutePath().resolve("redis");
        Files.createDirectories(dataDirectory);
        int port = FreePorts.resolve(properties.embedded().redisPort());
        log.info("Embedded Redis on port {} with data in {}", port, dataDirectory);
        return RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("dir " + dataDirectory)
                .setting("appendonly yes")
                .setting("appendfsync everysec")
                .setting("save \"\"")
                // A large staged transaction is made visible by one script that can outlast the
                // default 5 s; past that Redis would answer other clients BUSY instead of making them wait.
                .setting("lua-time-limit 0")
                // Drain the server's output, or it blocks once the pipe is full.
                .soutListener(line -> log.debug("redis: {}", line))
                .serrListener(line -> log.warn("redis: {}", line))
                .build();
    }

    @Bean
    DataRedisConnectionDetails embeddedRedisConnectionDetails(RedisServer redis) {
        int port = redis.ports().get(0);
        return new DataRedisConnectionDetails() {
            @Override
            public Standalone getStandalone() {
                return Standalone.of("127.0.0.1", port);
            }
        };
    }

    static class NoExternalRedis extends SpringBootCondition {

        private static final List<String> EXTERNAL = List.of(
                "spring.data.redis.host", "spring.data.redis.url",
                "spring.data.redis.sentinel.master", "spring.data.redis.cluster.nodes");

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return EXTERNAL.stream()
                    .filter(context.getEnvironment()::containsProperty)
                    .findFirst()
                    .map(property -> ConditionOutcome.noMatch(property + " is set"))
                    .orElseGet(() -> ConditionOutcome.match("no external Redis is configured"));
        }
    }
}
