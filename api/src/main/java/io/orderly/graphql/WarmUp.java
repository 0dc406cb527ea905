package io.orderly.graphql;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.orderly.runtime.ConditionalOnRole;
import io.orderly.runtime.OrderlyProperties;
import io.orderly.runtime.RequestThreads;
import io.orderly.runtime.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;

/**
 * Before a query process reports ready, runs the typical reads (a page of orders with their lines,
 * products and customers, single orders, products, customers) through the GraphQL handler as HTTP
 * requests run, on this thread and as staff, for {@code orderly.query.warm-up}. The JIT compiles
 * graphql-java, Spring for GraphQL and the read path only after thousands of executions: without
 * this the first clients after a start or a deploy were served a quarter as fast as a minute later.
 * Readiness ({@code ACCEPTING_TRAFFIC}) follows the application-ready event, so it comes after.
 * The warm-up only reads; its caller is the subject {@value #SUBJECT}, exempt from the rate limit as
 * staff are by default (where they are not, its refusals count among the errors it logs). Each read
 * is bounded by the request deadline, the warm-up's time is checked before each, and a warm-up that
 * fails is logged and given up rather than keeping the process from starting.
 */
@Component
@ConditionalOnRole(Role.QUERY)
class WarmUp {

    static final String SUBJECT = "orderly-warm-up";

    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

    private static final String ORDER_FIELDS = "id status total { amount currency } "
            + "lines { name quantity unitPrice { amount currency } product { id name stock price { amount currency } } } "
            + "customer { id name orderCount lifetimeValue { amount currency } }";

    private static final String PAGE = "{ orders(first: 50) { edges { cursor node { " + ORDER_FIELDS + " } } pageInfo { hasNextPage endCursor } } }";

    private static final String ORDER = "query ($id: ID!) { order(id: $id) { " + ORDER_FIELDS + " } }";

    private static final List<String> CATALOG_AND_CUSTOMERS = List.of(
            "{ products(first: 20) { edges { node { id sku name price { amount currency } stock unitsSold } } } }",
            "{ customers(first: 20) { edges { node { id name email orderCount lifetimeValue { amount currency } } } } }");

    private final WebGraphQlHandler handler;
    private final Duration duration;
    private final AtomicLong ids = new AtomicLong();

    @Autowired
    WarmUp(WebGraphQlHandler handler, OrderlyProperties properties) {
        this(handler, properties.query().warmUp());
    }

    WarmUp(WebGraphQlHandler handler, Duration duration) {
        this.handler = handler;
        this.duration = duration;
    }

    /** What a warm-up did: how many reads it ran, how many of them were single orders, and how many answered with errors. */
    record Outcome(long reads, long orders, long failed) {
    }

    @EventListener(ApplicationReadyEvent.class)
    void onReady() {
        if (duration.isZero()) {
            return;
        }
        long start = System.nanoTime();
        try {
            Outcome outcome = run();
            log.info("Warmed up the read path with {} queries in {} ms ({} answered with errors)", outcome.reads(),
                    (System.nanoTime() - start) / 1_000_000, outcome.failed());
        }
        catch (RuntimeException e) {
            // A warm-up that cannot run (Redis away at start) must not keep the process from serving.
            log.warn("Stopped warming up the read path after {} ms: {}", (System.nanoTime() - start) / 1_000_000, e.toString());
        }
    }

    /** Runs the reads until the warm-up's time is up, checked before each one. */
    Outcome run() {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                SUBJECT, null, List.of(new SimpleGrantedAuthority("ROLE_STAFF"))));
        Tally tally = new Tally(System.nanoTime() + duration.toNanos());
        try {
            while (tally.timeLeft()) {
                List<String> orderIds = orderIdsOf(tally.count(execute(PAGE, Map.of())));
                for (int i = 0; i < orderIds.size() && tally.timeLeft(); i++) {
                    tally.count(execute(ORDER, Map.of("id", orderIds.get(i))));
                    tally.orders++;
                }
                for (int i = 0; i < CATALOG_AND_CUSTOMERS.size() && tally.timeLeft(); i++) {
                    tally.count(execute(CATALOG_AND_CUSTOMERS.get(i), Map.of()));
                }
            }
        }
        finally {
            SecurityContextHolder.clearContext();
        }
        return new Outcome(tally.reads, tally.orders, tally.failed);
    }

    private static final class Tally {

        private final long deadline;
        private long reads;
        private long orders;
        private long failed;

        Tally(long deadline) {
            this.deadline = deadline;
        }

        boolean timeLeft() {
            return System.nanoTime() - deadline < 0;
        }

        WebGraphQlResponse count(WebGraphQlResponse response) {
            reads++;
            failed += response.getErrors().isEmpty() ? 0 : 1;
            return response;
        }
    }

    private WebGraphQlResponse execute(String document, Map<String, Object> variables) {
        WebGraphQlRequest request = new WebGraphQlRequest(URI.create("http://localhost/graphql"), new HttpHeaders(),
                new LinkedMultiValueMap<>(), null, Map.of(), Map.of("query", document, "variables", variables),
                "warm-up-" + ids.incrementAndGet(), Locale.ENGLISH);
        return RequestThreads.serving(() -> handler.handleRequest(request).toFuture().join());
    }

    @SuppressWarnings("unchecked")
    private static List<String> orderIdsOf(WebGraphQlResponse response) {
        List<String> ids = new ArrayList<>();
        if (response.getData() instanceof Map<?, ?> data && data.get("orders") instanceof Map<?, ?> orders
                && orders.get("edges") instanceof List<?> edges) {
            for (Object edge : edges) {
                Map<String, Object> node = (Map<String, Object>) ((Map<String, Object>) edge).get("node");
                ids.add((String) node.get("id"));
            }
        }
        return ids;
    }
}
