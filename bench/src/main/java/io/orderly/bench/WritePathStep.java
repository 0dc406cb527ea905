package io.orderly.bench;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The write path: {@code placeOrder} through GraphQL against the same transaction over bare JDBC,
 * closed loop, alternating run by run, then the variant that selects the order (it waits for the
 * projector), and a profile of the GraphQL write path.
 */
record WritePathStep(Settings settings, Report report, Path work) {

    void run(AppProcess orderly, GraphQlClient client, String jdbcUrl, Workload workload) throws Exception {
        Report.step("Write path: placeOrder through GraphQL against the same transaction over JDBC");
        int concurrency = settings.writeConcurrency();
        List<JdbcPlaceOrder> jdbc = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            jdbc.add(new JdbcPlaceOrder(DriverManager.getConnection(jdbcUrl, "postgres", "")));
        }
        ClosedLoop.Operation graphQl = worker -> workload.placeThroughGraphQl(client, Workload.PLACE_ORDER);
        ClosedLoop.Operation graphQlReading = worker -> workload.placeThroughGraphQl(client, Workload.PLACE_ORDER_READING_IT);
        ClosedLoop.Operation direct = worker -> {
            jdbc.get(worker).place(workload.nextOrder());
            return true;
        };
        SteadyState.WarmUp graphQlWarmUp = SteadyState.warmUp(duration -> ClosedLoop.run(concurrency, duration, graphQl), Duration.ofSeconds(15));
        SteadyState.WarmUp jdbcWarmUp = SteadyState.warmUp(duration -> ClosedLoop.run(concurrency, duration, direct), Duration.ofSeconds(15));
        System.out.printf(Locale.ROOT, "  warm-up: GraphQL %s/s%s, JDBC %s/s%s%n", graphQlWarmUp.format(), graphQlWarmUp.settledOrNot(),
                jdbcWarmUp.format(), jdbcWarmUp.settledOrNot());
        List<RunResult> viaGraphQl = new ArrayList<>();
        List<RunResult> viaJdbc = new ArrayList<>();
        List<RunResult> viaGraphQlReading = new ArrayList<>();
        for (int run = 1; run <= settings.writeRuns(); run++) {
            // The warm-ups and each JDBC run leave the projector a backlog (a minute of JDBC writes is
            // over 100,000 orders), which it would work off on the same cores as the GraphQL run.
            workload.awaitCaughtUp(client);
            viaGraphQl.add(ClosedLoop.run(concurrency, settings.writeRun(), graphQl));
            Thread.sleep(1000);
            viaJdbc.add(ClosedLoop.run(concurrency, settings.writeRun(), direct));
            Thread.sleep(1000);
            System.out.printf("  run %d: GraphQL %.0f/s, JDBC %.0f/s%n", run,
                    viaGraphQl.get(run - 1).perSecond(), viaJdbc.get(run - 1).perSecond());
        }
        // Selecting the order makes each mutation wait for the projector, which first has to work
        // through the backlog the runs above left: these runs come after it has caught up.
        workload.awaitCaughtUp(client);
        for (int run = 1; run <= settings.writeRuns(); run++) {
            viaGraphQlReading.add(ClosedLoop.run(concurrency, settings.writeRun(), graphQlReading));
            System.out.printf("  run %d: GraphQL reading the order %.0f/s%n", run, viaGraphQlReading.get(run - 1).perSecond());
        }
        for (JdbcPlaceOrder connection : jdbc) {
            connection.close();
        }
        Stats overhead = Stats.ratio(viaJdbc, viaGraphQl, RunResult::perSecond, false);
        Stats latency = Stats.ratio(viaJdbc, viaGraphQl, RunResult::p50, true);
        report.append(String.format(Locale.ROOT, """

                ## Write path: `placeOrder` through GraphQL against the bare JDBC transaction

                %d concurrent clients, closed loop, each warmed up until its throughput settled (as the read path; GraphQL
                %s%s, JDBC %s%s per second), then %d runs of %d s, GraphQL and JDBC alternating run by run, each GraphQL run
                once the projector had caught up with the writes before it; the variant that selects the order ran afterwards, once the projector had
                caught up with the backlog the others left (it waits for the projector). The JDBC variant runs the command handler's statements (customer
                check, products locked `FOR UPDATE` in id order, stock reserved, order and lines inserted, transaction
                id, commit, WAL position) from the driver over one connection per client. Latencies in ms.

                | Path | placeOrder/s | p50 | p99 |
                |---|---|---|---|
                """, concurrency, graphQlWarmUp.format(), graphQlWarmUp.settledOrNot(), jdbcWarmUp.format(), jdbcWarmUp.settledOrNot(),
                settings.writeRuns(), settings.writeRun().toSeconds()));
        report.writeRow("GraphQL `placeOrder { orderId consistencyToken errors }`", viaGraphQl);
        report.writeRow("Same transaction over plain JDBC", viaJdbc);
        report.writeRow("GraphQL `placeOrder { … order { … } }` (waits for the read model)", viaGraphQlReading);
        report.append(String.format(Locale.ROOT, """

                Overhead of GraphQL over bare JDBC, run by run: throughput JDBC ÷ GraphQL **%s×**, p50 latency GraphQL ÷ JDBC %s×.
                """, overhead.format(2), latency.format(2)));
        report.headline("Write overhead, JDBC ÷ GraphQL placeOrder/s", String.format(Locale.ROOT, "%.2f× (%.0f vs %.0f placeOrder/s)",
                overhead.median(), Stats.of(viaJdbc.stream().map(RunResult::perSecond).toList()).median(),
                Stats.of(viaGraphQl.stream().map(RunResult::perSecond).toList()).median()));
        Report.step("Profiling the write path (JFR)");
        report.append(Profiler.profile(orderly, "write-orderly", "Orderly, `placeOrder` through GraphQL", work,
                () -> ClosedLoop.run(concurrency, settings.profile(), graphQl)));
    }
}
