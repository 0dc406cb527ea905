package io.orderly.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * What validating a bearer token costs: the same public query (a product by id) with a staff
 * token and without any, alternating run by run.
 */
record TokenCostStep(Settings settings, Report report, Path work, Path orderlyJar) {

    /**
     * In a query process of its own, on the same PostgreSQL and Redis, whose limit for anonymous
     * callers is lifted: every request of the benchmark comes from one address, so with the default
     * limit the anonymous side would be measuring refusals. Both sides then run the same code but
     * for the token (the limiter still counts the anonymous requests; staff are exempt from it).
     */
    void run(String jdbcUrl, int redisPort, Workload workload) throws Exception {
        Report.step("Token validation cost: a public query with and without a bearer token");
        int port = AppProcess.freePort();
        try (AppProcess query = AppProcess.start("orderly-token-cost", AppProcess.JVM_FLAGS, List.of("-jar", orderlyJar.toString()),
                List.of("--server.port=" + port, "--orderly.roles=query", "--orderly.embedded.data-dir=" + work.resolve("data"),
                        "--orderly.security.dev-issuer.enabled=true",
                        "--spring.datasource.url=" + jdbcUrl, "--spring.datasource.username=postgres", "--spring.datasource.password=",
                        "--spring.data.redis.host=localhost", "--spring.data.redis.port=" + redisPort,
                        "--orderly.limits.rate.requests-per-second=1000000", "--orderly.limits.rate.burst=1000000"),
                work.resolve("logs/orderly-token-cost.log"), port)) {
            query.awaitHttp(Duration.ofMinutes(2));
            measure(new GraphQlClient(port, GraphQlClient.developmentToken(port, "bench-staff", "STAFF,ADMIN")),
                    new GraphQlClient(port), workload);
        }
    }

    private void measure(GraphQlClient withToken, GraphQlClient anonymous, Workload workload) throws Exception {
        Function<Integer, String> body = worker -> GraphQlClient.body(Workload.PRODUCT_QUERY, Map.of("id", workload.randomProductId()));
        ClosedLoop.queries(withToken, body, settings.readWarmup(), settings.readConcurrency());
        ClosedLoop.queries(anonymous, body, settings.readWarmup(), settings.readConcurrency());
        List<RunResult> signed = new ArrayList<>();
        List<RunResult> unsigned = new ArrayList<>();
        for (int run = 1; run <= settings.readRuns(); run++) {
            signed.add(ClosedLoop.queries(withToken, body, settings.readRun(), settings.readConcurrency()));
            unsigned.add(ClosedLoop.queries(anonymous, body, settings.readRun(), settings.readConcurrency()));
        }
        double with = Stats.of(signed.stream().map(RunResult::perSecond).toList()).median();
        double without = Stats.of(unsigned.stream().map(RunResult::perSecond).toList()).median();
        // On a saturated machine each request costs about cores / throughput of CPU time.
        double microsPerRequest = Runtime.getRuntime().availableProcessors() * (1 / with - 1 / without) * 1e6;
        report.append(String.format(Locale.ROOT, """

                ## What a bearer token costs

                `product(id)` (public) through a query process of Orderly whose limit for anonymous callers is lifted,
                %d concurrent clients, with a staff token (RS256; a token already validated is remembered until it
                expires) and without one, alternating run by run. Median of the runs (min–max).

                | Request | Requests/s | p50 | p99 |
                |---|---|---|---|
                | with a token | %s | %s | %s |
                | anonymous | %s | %s | %s |

                With a token: %.2f× the anonymous throughput, about %.0f µs of CPU per request (cores ÷ throughput).
                """, settings.readConcurrency(),
                Stats.of(signed.stream().map(RunResult::perSecond).toList()).format(0),
                Stats.of(signed.stream().map(RunResult::p50).toList()).format(2),
                Stats.of(signed.stream().map(RunResult::p99).toList()).format(2),
                Stats.of(unsigned.stream().map(RunResult::perSecond).toList()).format(0),
                Stats.of(unsigned.stream().map(RunResult::p50).toList()).format(2),
                Stats.of(unsigned.stream().map(RunResult::p99).toList()).format(2),
                with / without, microsPerRequest));
        report.headline("Bearer-token validation per request", String.format(Locale.ROOT,
                "%.2f× the anonymous throughput (about %.0f µs CPU)", with / without, microsPerRequest));
    }
}
