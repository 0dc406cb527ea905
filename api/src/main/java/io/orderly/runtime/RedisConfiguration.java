package io.orderly.runtime;

import java.time.Duration;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

/**
 * The Lettuce clients for the read models, built from the standard {@code spring.data.redis.*}
 * connection (or the embedded server's). Queries share one thread-safe connection on Spring
 * Boot's client resources. The projector and the feed reader have clients of their own, with
 * their own event-loop threads: Lettuce decodes every reply on the I/O thread of its connection,
 * so on shared threads the large replies of heavy queries would delay a lease renewal or the
 * feed's next read behind them.
 */
@Configuration(proxyBeanMethods = false)
class RedisConfiguration {

    @Bean
    RedisURI readModelRedisUri(DataRedisConnectionDetails connection) {
        DataRedisConnectionDetails.Standalone standalone = connection.getStandalone();
        if (standalone == null) {
            throw new IllegalStateException("Orderly needs a standalone Redis (spring.data.redis.host or url)");
        }
        RedisURI.Builder uri = RedisURI.builder()
                .withHost(standalone.getHost())
                .withPort(standalone.getPort())
                .withDatabase(standalone.getDatabase())
                // Bounds every command; the longest Orderly sends blocks for half a second (XREAD).
                .withTimeout(Duration.ofSeconds(10));
        String password = connection.getPassword();
        if (StringUtils.hasText(password)) {
            String username = connection.getUsername();
            if (StringUtils.hasText(username)) {
                uri.withAuthentication(username, password);
            }
            else {
                uri.withPassword(password.toCharArray());
            }
        }
        return uri.build();
    }

    /** The projector's client; created without resources, it makes its own threads and shuts them down with it. */
    @Bean(destroyMethod = "shutdown")
    RedisClient readModelRedisClient(RedisURI readModelRedisUri) {
        return RedisClient.create(readModelRedisUri);
    }

    @Bean(destroyMethod = "close")
    StatefulRedisConnection<String, String> readModelConnection(RedisClient readModelRedisClient) {
        return readModelRedisClient.connect();
    }

    /** The client of the read side: a replica when {@code orderly.query.redis-url} is set, else the primary. */
    @Bean(destroyMethod = "shutdown")
    RedisClient queryRedisClient(ClientResources clientResources, RedisURI readModelRedisUri, OrderlyProperties properties) {
        return RedisClient.create(clientResources, readSide(readModelRedisUri, properties, "orderly-query"));
    }

    /** The feed reader's client, on the read side like queries but on threads of its own. */
    @Bean(destroyMethod = "shutdown")
    RedisClient feedRedisClient(RedisURI readModelRedisUri, OrderlyProperties properties) {
        return RedisClient.create(readSide(readModelRedisUri, properties, "orderly-feed"));
    }

    private static RedisURI readSide(RedisURI readModelRedisUri, OrderlyProperties properties, String clientName) {
        String replica = properties.query().redisUrl();
        RedisURI uri = replica == null ? RedisURI.builder(readModelRedisUri).build() : RedisURI.create(replica);
        uri.setClientName(clientName);
        uri.setTimeout(readModelRedisUri.getTimeout());
        return uri;
    }

    @Bean(destroyMethod = "close")
    StatefulRedisConnection<String, String> queryConnection(RedisClient queryRedisClient) {
        return queryRedisClient.connect();
    }
}
