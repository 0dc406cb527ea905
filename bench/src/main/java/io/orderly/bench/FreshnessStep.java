package io.orderly.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.HdrHistogram.Histogram;

/**
 * Freshness: {@code placeOrder} at steady write rates, rate after rate, and how long after its
 * commit each write is visible in the read model and reaches a subscriber; up to the rate where the
 * lag grows without bound.
 */
record FreshnessStep(Settings settings, Report report) {

    void run(GraphQlClient client, Workload workload) throws Exception {
        Report.step("Freshness: steady write rates, commit to read model and to subscriber");
        Freshness freshness = new Freshness(client, workload);
        try (ChangeSubscriber subscriber = ChangeSubscriber.subscribe(client.http(), client.port(), client.authorization(), freshness::eventArrived)) {
            // Warm-up: with --freshness nothing ran before, and a JVM still compiling the write path
            // measured the JIT rather than the pipeline.
            freshness.run(100, Duration.ofSeconds(10), 1);
            report.append(String.format(Locale.ROOT, """

                    ## Freshness: commit → read model, commit → subscription event

                    `placeOrder` (1–3 lines) sent at a steady rate (open loop, at most 256 writes in flight; a write
                    that would exceed that is dropped and counted), %d runs of %d s per rate. Commit = the mutation's
                    response received. Visible = a query `@consistentWith` the write's token answered with the order
                    (the server holds it until the projector applied the transaction; one extra round trip included;
                    above 300 writes/s only every n-th write is checked, to keep the checks near 300/s). Received =
                    the CREATED event arrived at a `changes(types: [ORDER])` graphql-ws subscriber. Median of the
                    runs' percentiles (min–max), ms.

                    | Target writes/s | Achieved writes/s | Commit → visible p50 | p99 | max | Commit → subscriber p50 | p99 | max | Lag |
                    |---|---|---|---|---|---|---|---|---|
                    """, settings.freshnessRuns(), settings.freshnessRun().toSeconds()));
            Integer firstUnbounded = null;
            for (int rate : settings.writeRates()) {
                if (firstUnbounded != null) {
                    report.append(String.format(Locale.ROOT, "| %d | not run: lag already grows at %d writes/s | | | | | | | |%n", rate, firstUnbounded));
                    continue;
                }
                List<Freshness.Result> results = new ArrayList<>();
                for (int run = 1; run <= settings.freshnessRuns(); run++) {
                    workload.awaitCaughtUp(client);
                    Freshness.Result result = freshness.run(rate, settings.freshnessRun(), Math.max(1, rate / 300));
                    results.add(result);
                    System.out.printf("  %d/s run %d: achieved %.0f/s, visible p99 %.1f ms, subscriber p99 %.1f ms, dropped %d, failed %d, missing events %d%n",
                            rate, run, result.achievedRate(), ms(result.visible(), 99), ms(result.received(), 99),
                            result.dropped(), result.failed(), result.missingEvents());
                }
                boolean unbounded = results.stream().filter(Freshness.Result::unbounded).count() * 2 > results.size();
                if (unbounded && firstUnbounded == null) {
                    firstUnbounded = rate;
                }
                long dropped = results.stream().mapToLong(Freshness.Result::dropped).sum();
                long failed = results.stream().mapToLong(Freshness.Result::failed).sum();
                long missing = results.stream().mapToLong(Freshness.Result::missingEvents).sum();
                String lag = unbounded ? "grows" : "steady";
                if (dropped + failed + missing > 0) {
                    lag += String.format(Locale.ROOT, " (dropped %d, failed %d, events missing %d)", dropped, failed, missing);
                }
                report.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s | %s |%n", rate,
                        Stats.of(results.stream().map(Freshness.Result::achievedRate).toList()).format(0),
                        percentile(results, Freshness.Result::visible, 50), percentile(results, Freshness.Result::visible, 99),
                        percentile(results, Freshness.Result::visible, 100),
                        percentile(results, Freshness.Result::received, 50), percentile(results, Freshness.Result::received, 99),
                        percentile(results, Freshness.Result::received, 100), lag));
                if (rate == 300) {
                    report.headline("Freshness at 300 writes/s, commit → read model / → subscriber, p99",
                            String.format(Locale.ROOT, "%.1f ms / %.1f ms",
                                    Stats.of(results.stream().map(r -> ms(r.visible(), 99)).toList()).median(),
                                    Stats.of(results.stream().map(r -> ms(r.received(), 99)).toList()).median()));
                }
            }
            String limit = firstUnbounded == null
                    ? "Lag stayed bounded at every rate tried (up to " + settings.writeRates().get(settings.writeRates().size() - 1) + " writes/s)."
                    : "Lag grows without bound from " + firstUnbounded + " writes/s on (see the achieved rate: whether the writes or the projector fall behind).";
            report.append("\n").append(limit).append("\n");
            report.headline("Rate where lag grows without bound", firstUnbounded == null ? "not reached (" + limit + ")" : firstUnbounded + " writes/s");
        }
    }

    private static double ms(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? Double.NaN
                : (percentile >= 100 ? histogram.getMaxValue() : histogram.getValueAtPercentile(percentile)) / 1000.0;
    }

    private static String percentile(List<Freshness.Result> results, Function<Freshness.Result, Histogram> which, double percentile) {
        return Stats.of(results.stream().map(r -> ms(which.apply(r), percentile)).toList()).format(1);
    }
}
