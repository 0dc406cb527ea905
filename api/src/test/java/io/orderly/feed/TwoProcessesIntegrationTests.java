package io.orderly.feed;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.lettuce.core.RedisURI;
import io.orderly.Customers;
import io.orderly.IntegrationTest;
import io.orderly.Orderly;
import io.orderly.TestIssuer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.graphql.test.tester.WebSocketGraphQlTester;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.socket.client.StandardWebSocketClient;
import reactor.core.Disposable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A second application process (command and query roles, no projector) shares PostgreSQL and
 * Redis with the first: subscribers on either receive every change written through either.
 */
class TwoProcessesIntegrationTests extends IntegrationTest {

    @Autowired
    private JdbcConnectionDetails database;

    @Autowired
    private RedisURI redisUri;

    @Autowired
    private FeedReader feed;

    @Test
    void subscribersOnBothProcessesReceiveChangesWrittenThroughEither() {
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(Orderly.class).run(TestIssuer.withArguments(
                "--server.port=0",
                "--spring.datasource.url=" + database.getJdbcUrl(),
                "--spring.datasource.username=" + database.getUsername(),
                "--spring.datasource.password=" + database.getPassword(),
                "--spring.data.redis.host=" + redisUri.getHost(),
                "--spring.data.redis.port=" + redisUri.getPort(),
                "--orderly.roles=command,query"))) {
            int secondPort = Integer.parseInt(second.getEnvironment().getProperty("local.server.port"));
            FeedReader firstFeed = feed;
            FeedReader secondFeed = second.getBean(FeedReader.class);
            List<String> onFirst = Collections.synchronizedList(new ArrayList<>());
            List<String> onSecond = Collections.synchronizedList(new ArrayList<>());
            int firstBefore = firstFeed.subscriptions();
            Disposable a = subscribeCustomers(port, onFirst);
            Disposable b = subscribeCustomers(secondPort, onSecond);
            await().until(() -> firstFeed.subscriptions() == firstBefore + 1 && secondFeed.subscriptions() == 1);

            String viaSecond = Customers.register(graphQlOn(secondPort)).id();
            String viaFirst = Customers.register(graphQl).id();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(onFirst).contains(viaSecond, viaFirst);
                assertThat(onSecond).contains(viaSecond, viaFirst);
            });
            assertThat(onFirst.indexOf(viaSecond)).isLessThan(onFirst.indexOf(viaFirst));
            assertThat(onSecond.indexOf(viaSecond)).isLessThan(onSecond.indexOf(viaFirst));
            a.dispose();
            b.dispose();
        }
    }

    private static Disposable subscribeCustomers(int port, List<String> ids) {
        return socketOn(port, STAFF_TOKEN)
                .documentName("customerChanges").executeSubscription()
                .toFlux("changes", Map.class)
                .subscribe(event -> ids.add((String) event.get("id")));
    }

}
