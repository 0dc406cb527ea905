package io.orderly.bench;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Isolation: the p99 of a staff member's simple query alone, then while a customer account
 * pushes the heaviest allowed query with as many threads as the read load uses.
 */
record IsolationStep(Settings settings, Report report) {

    void run(GraphQlClient staff, int port, Workload workload) throws Exception {
        Report.step("Isolation: a simple query alone, then next to a caller pushing the heaviest allowed query");
        HostileNeighbour hostile = new HostileNeighbour(port, GraphQlClient.developmentToken(port, "bench-mallory", "CUSTOMER"));
        Function<Integer, String> body = worker -> GraphQlClient.body(Workload.PRODUCT_QUERY, Map.of("id", workload.randomProductId()));
        int concurrency = 2;
        ClosedLoop.queries(staff, body, settings.readWarmup(), concurrency);
        RunResult alone = ClosedLoop.queries(staff, body, settings.readRun(), concurrency);
        Thread attack = new Thread(() -> {
            try {
                ClosedLoop.run(settings.readConcurrency(), settings.readRun().plusSeconds(2), hostile::send);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "hostile");
        attack.start();
        Thread.sleep(1000);
        RunResult attacked = ClosedLoop.queries(staff, body, settings.readRun(), concurrency);
        attack.join();
        report.append(String.format(Locale.ROOT, """

                ## Isolation: one caller cannot degrade the others

                A staff member's `product(id)` (%d clients, closed loop) alone, then while a customer account sends the
                heaviest query the limits allow (20 aliased pages of 100 products with every field) from %d threads as
                fast as it is answered. Latencies in ms.

                | Staff's simple query | Requests/s | p50 | p99 | failed |
                |---|---|---|---|---|
                | alone | %.0f | %.2f | %.2f | %d |
                | next to the heavy caller | %.0f | %.2f | %.2f | %d |

                The heavy caller's answers by HTTP status: %s (429: rate limit per subject, by cost; 503: expensive
                queries run a few at a time).
                """, concurrency, settings.readConcurrency(), alone.perSecond(), alone.p50(), alone.p99(), alone.errors(),
                attacked.perSecond(), attacked.p50(), attacked.p99(), attacked.errors(), hostile.statuses()));
        report.headline("Simple query p99 next to a caller pushing the heaviest allowed query", String.format(Locale.ROOT,
                "%.1f ms (alone %.1f ms)", attacked.p99(), alone.p99()));
    }
}
