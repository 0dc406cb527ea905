package io.orderly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.orderly.cdc.readmodel.FeedEntry;
import io.orderly.feed.FeedReader;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

import static org.awaitility.Awaitility.await;

/**
 * An application of its own with limits tight enough to cross in a few requests, for the tests of
 * those limits; the shared context of {@link IntegrationTest} keeps the defaults. Started on first
 * use and shared by every test that needs it (it costs seconds to start), closed when the test JVM
 * exits. Each test acts as callers of its own, so that their buckets and counts do not meet.
 */
public final class TightLimits {

    /** Tokens a caller's bucket holds; it refills by one a second. */
    public static final int BURST = 5;

    /** Above this cost a query is expensive: {@code products(first: 50)} is, {@code products(first: 5)} is not. */
    public static final int EXPENSIVE_COST = 100;

    /** Values a response may hold: about ten products with a few fields each. */
    public static final int MAX_RESULT_NODES = 100;

    /** How long a query may run; the slow field of {@link SlowFields} takes longer when asked to. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    private static ConfigurableApplicationContext application;

    private TightLimits() {
    }

    public static synchronized ConfigurableApplicationContext application() {
        if (application == null) {
            Path dataDir = Path.of("target", "it-data", "tight-limits-" + System.nanoTime());
            application = new SpringApplicationBuilder(Orderly.class, SmallSocketBuffers.class, SlowFields.class).run(TestIssuer.withArguments(
                    "--server.port=0",
                    "--orderly.embedded.data-dir=" + dataDir,
                    "--orderly.embedded.postgres-port=0",
                    "--orderly.embedded.redis-port=0",
                    "--orderly.projector.slot-name=tight_limits",
                    "--orderly.limits.rate.requests-per-second=1",
                    "--orderly.limits.rate.burst=" + BURST,
                    "--orderly.limits.expensive.cost=" + EXPENSIVE_COST,
                    "--orderly.limits.expensive.concurrency=2",
                    "--orderly.subscriptions.max-per-connection=2",
                    "--orderly.subscriptions.max-per-caller=3",
                    "--orderly.limits.max-result-nodes=" + MAX_RESULT_NODES,
                    "--orderly.subscriptions.send-timeout=1s",
                    "--orderly.limits.request-timeout=" + REQUEST_TIMEOUT.toMillis() + "ms"));
            awaitLiveFeed(application);
        }
        return application;
    }

    /**
     * The first snapshot of a fresh application starts a new feed epoch, and the feed reader ends
     * the subscriptions it already holds once it sees that epoch ({@code RESYNC_REQUIRED}): a test
     * that subscribed first would lose its subscription. So tests start once a subscription opened
     * now receives a change.
     */
    private static void awaitLiveFeed(ConfigurableApplicationContext started) {
        FeedReader feed = started.getBean(FeedReader.class);
        HttpGraphQlTester staff = IntegrationTest.graphQlOn(
                Integer.parseInt(started.getEnvironment().getProperty("local.server.port")));
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            CompletableFuture<FeedEntry> next = feed.live().next().toFuture();
            Products.create(staff, Products.newProduct());
            try {
                next.get(5, TimeUnit.SECONDS);
                return true;
            }
            catch (ExecutionException | TimeoutException e) {
                next.cancel(true);
                return false;
            }
        });
    }

    public static int port() {
        return Integer.parseInt(application().getEnvironment().getProperty("local.server.port"));
    }

    /** An HTTP client of this application that sends this bearer token (none when null). */
    public static WebTestClient client(@Nullable String token) {
        WebTestClient.Builder builder = WebTestClient.bindToServer().baseUrl("http://localhost:" + port());
        if (token != null) {
            builder.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        return builder.build();
    }

    /** The response to a document of {@code graphql-test/} sent by POST, whatever its status. */
    public static EntityExchangeResult<byte[]> post(WebTestClient client, String documentName, Map<String, Object> variables) {
        return client.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", document(documentName), "variables", variables))
                .exchange().expectBody().returnResult();
    }

    public static String document(String name) {
        try {
            return new ClassPathResource("graphql-test/" + name + ".graphql").getContentAsString(StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Small socket send buffers, so that a client that stops reading blocks the server's sends after
     * a few dozen kilobytes rather than the megabytes loopback would otherwise buffer.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class SmallSocketBuffers {

        @Bean
        TomcatConnectorCustomizer smallSendBuffer() {
            return connector -> connector.setProperty("socket.txBufSize", "4096");
        }
    }

    /**
     * Fields that take as long as they are asked to ({@code tight-limits/slow.graphqls}): a query
     * field, and a mutation whose payload reads as slowly, both answered by a Mono that counts the
     * fetches it starts and those cancelled before they answered. A plain class of beans, not a
     * {@code @TestConfiguration}: applications started from the test classpath without Spring's
     * test support ({@link OrderlyProcess}) would find one in their component scan, and must not
     * get these fields.
     */
    public static final class SlowFields {

        private final AtomicInteger started = new AtomicInteger();
        private final AtomicInteger cancelled = new AtomicInteger();

        @Bean
        GraphQlSourceBuilderCustomizer slowFieldsSchema() {
            return builder -> builder.schemaResources(new ClassPathResource("tight-limits/slow.graphqls"));
        }

        @Bean
        RuntimeWiringConfigurer slowFieldsFetchers() {
            return wiring -> wiring
                    .type("Query", type -> type.dataFetcher("slow", environment -> slowly(environment.getArgument("millis"), "slow")))
                    .type("Mutation", type -> type.dataFetcher("slowWrite", environment -> Map.of()))
                    .type("SlowWritePayload", type -> type.dataFetcher("read",
                            environment -> slowly(environment.getArgument("millis"), "read")));
        }

        private Mono<String> slowly(int millis, String answer) {
            return Mono.delay(Duration.ofMillis(millis))
                    .map(ignored -> answer)
                    .doOnSubscribe(subscription -> started.incrementAndGet())
                    .doOnCancel(cancelled::incrementAndGet);
        }

        /** Slow fetches started so far. */
        public int started() {
            return started.get();
        }

        /** Slow fetches cancelled before they answered. */
        public int cancelled() {
            return cancelled.get();
        }
    }
}
