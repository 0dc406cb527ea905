package io.orderly.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import tools.jackson.databind.JsonNode;

/**
 * The read path: Orderly against PostGraphile and the SQL-join baseline, first checked to give the
 * same answers, then each query warmed up per server until steady and measured run by run, with the
 * memory each used meanwhile, and profiles of Orderly's and the baseline's read path. The load comes
 * from wrk when {@code wrk} (it is installed), else from this JVM.
 */
record ReadPathStep(Settings settings, Report report, Path work, boolean wrk) {

    static final String ORDER_QUERY = """
            query Order($id: ID!) { order(id: $id) { status total { amount currency } \
            lines { name quantity product { name stock } } customer { name orderCount } } }""";

    static final String PAGE_QUERY = """
            query Paid { orders(first: 50, status: PAID) { edges { cursor node { id status total { amount currency } \
            lines { name quantity product { name stock } } customer { name orderCount } } } pageInfo { hasNextPage endCursor } } }""";

    /** The page without cursors, whose encoding differs between the two servers: for the equality check. */
    static final String PAGE_QUERY_TO_COMPARE = """
            query Paid { orders(first: 50, status: PAID) { edges { node { id status total { amount currency } \
            lines { name quantity product { name stock } } customer { name orderCount } } } pageInfo { hasNextPage } } }""";

    /** A GraphQL server measured on the read path, with the bodies of the two queries in its own names. */
    record Peer(String name, AppProcess process, GraphQlClient client, Function<String, String> orderBody,
            String pageBody, long companionPid) {
    }

    /**
     * Every peer must answer with the same content, or the comparison means nothing: the SQL-join
     * baseline with identical {@code data}, PostGraphile with the same content in its own names.
     */
    void sameAnswers(GraphQlClient orderly, GraphQlClient baseline, GraphQlClient postGraphile, Workload workload)
            throws Exception {
        int compared = 0;
        List<String> differentFromBaseline = new ArrayList<>();
        List<String> differentFromPostGraphile = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String id = workload.orderIds().get(i);
            String body = GraphQlClient.body(ORDER_QUERY, Map.of("id", id));
            JsonNode ours = dataOf(orderly.post(body));
            compared++;
            if (!ours.equals(dataOf(baseline.post(body)))) {
                differentFromBaseline.add(id);
            }
            JsonNode theirs = PostGraphile.asOrderly(GraphQlClient.JSON.readTree(
                    postGraphile.post(GraphQlClient.body(PostGraphile.ORDER_QUERY, Map.of("id", id))))).path("data");
            if (!ours.equals(theirs)) {
                differentFromPostGraphile.add(id);
            }
        }
        String page = GraphQlClient.body(PAGE_QUERY_TO_COMPARE, Map.of());
        JsonNode ourPage = dataOf(orderly.post(page));
        compared++;
        if (!ourPage.equals(dataOf(baseline.post(page)))) {
            differentFromBaseline.add("the PAID page");
        }
        if (!ourPage.equals(PostGraphile.asOrderly(GraphQlClient.JSON.readTree(
                postGraphile.post(GraphQlClient.body(PostGraphile.PAGE_QUERY, Map.of())))).path("data"))) {
            differentFromPostGraphile.add("the PAID page");
        }
        System.out.printf("  same answers: SQL-join baseline %d of %d, PostGraphile %d of %d%n",
                compared - differentFromBaseline.size(), compared, compared - differentFromPostGraphile.size(), compared);
        if (!differentFromBaseline.isEmpty() || !differentFromPostGraphile.isEmpty()) {
            System.out.println("  different: baseline " + differentFromBaseline + ", PostGraphile " + differentFromPostGraphile);
        }
        report.append(String.format(Locale.ROOT, "%nBefore measuring, the peers answered %d queries (50 `order(id)`, one "
                        + "PAID page without cursors): the SQL-join baseline with identical `data` in %d cases, "
                        + "PostGraphile with the same content (its names mapped to Orderly's) in %d cases.%n",
                compared, compared - differentFromBaseline.size(), compared - differentFromPostGraphile.size()));
    }

    /** The {@code data} of a response: what the peers must agree on (Orderly adds {@code extensions.feedCursor}). */
    private static JsonNode dataOf(String response) {
        return GraphQlClient.JSON.readTree(response).path("data");
    }

    /** Measures the peers, Orderly first and the baseline last, as listed. */
    void run(List<Peer> peers, Workload workload) throws Exception {
        report.append(String.format(Locale.ROOT, """

                ## Read path: Orderly (Redis read models) against PostGraphile and the SQL-join baseline (PostgreSQL)

                %d concurrent clients, closed loop, from %s; each query warmed up per server until its throughput
                settled (below), then %d runs of %d s, alternating servers run by run. Median of the runs (min–max).
                Latencies in ms.

                | Query | Server | Requests/s | p50 | p99 |
                |---|---|---|---|---|
                """, settings.readConcurrency(), wrk ? "wrk (`-t2`)" : "the benchmark's JVM (wrk is not installed)",
                settings.readRuns(), settings.readRun().toSeconds()));
        Peer orderly = peers.get(0);
        ReadMemory memory = new ReadMemory(peers);
        StringBuilder ratios = new StringBuilder();
        StringBuilder warmUps = new StringBuilder();
        for (String query : List.of("order", "page")) {
            String label = query.equals("order") ? "`order(id)` with lines, products, customer" : "`orders(first: 50, status: PAID)`, same fields";
            Map<String, List<RunResult>> runs = new LinkedHashMap<>();
            Report.step("Read path, " + query + ": warming up until steady");
            for (Peer peer : peers) {
                SteadyState.WarmUp warmUp = SteadyState.warmUp(duration -> readLoad(peer, query, workload, duration), settings.readWarmup());
                System.out.printf(Locale.ROOT, "  %s: %s requests/s%s%n", peer.name(), warmUp.format(), warmUp.settledOrNot());
                warmUps.append(String.format(Locale.ROOT, "| %s | %s | %s | %d s%s |%n", label, peer.name(), warmUp.format(), warmUp.seconds(),
                        warmUp.settled() ? "" : ", not settled"));
                runs.put(peer.name(), new ArrayList<>());
            }
            for (int run = 1; run <= settings.readRuns(); run++) {
                StringBuilder line = new StringBuilder("  run " + run + ":");
                for (Peer peer : peers) {
                    try (MemorySampler sampler = new MemorySampler(peer.process(), peer.companionPid())) {
                        RunResult result = readLoad(peer, query, workload, settings.readRun());
                        runs.get(peer.name()).add(result);
                        memory.add(peer, sampler);
                        line.append(String.format(Locale.ROOT, " %s %.0f/s p99 %.1f ms;", peer.name(), result.perSecond(), result.p99()));
                    }
                }
                System.out.println(line);
            }
            List<RunResult> ours = runs.get(orderly.name());
            runs.forEach((name, results) -> report.row(label, name, results));
            for (Peer peer : peers.subList(1, peers.size())) {
                List<RunResult> theirs = runs.get(peer.name());
                Stats throughput = Stats.ratio(ours, theirs, RunResult::perSecond, false);
                ratios.append(String.format(Locale.ROOT, "| %s | %s | %s× | %s× | %s× |%n", label, peer.name(), throughput.format(2),
                        Stats.ratio(ours, theirs, RunResult::p50, true).format(2), Stats.ratio(ours, theirs, RunResult::p99, true).format(2)));
                report.headline("Read " + (query.equals("order") ? "`order(id)`" : "page of 50 PAID orders") + ", Orderly ÷ " + peer.name(),
                        String.format(Locale.ROOT, "%.2f× the requests/s, p99 %.1f ms vs %.1f ms",
                                throughput.median(), Stats.of(ours.stream().map(RunResult::p99).toList()).median(),
                                Stats.of(theirs.stream().map(RunResult::p99).toList()).median()));
            }
            long errors = runs.values().stream().flatMap(List::stream).mapToLong(RunResult::errors).sum();
            if (errors > 0) {
                report.append(String.format(Locale.ROOT, "| %s | (failed requests: %d) | | | |%n", label, errors));
            }
        }
        report.append(String.format(Locale.ROOT, """

                Ratios, computed run by run (Orderly's throughput ÷ the peer's; the peer's latency ÷ Orderly's,
                so above 1 means Orderly is faster):

                | Query | Peer | Throughput ratio | p50 ratio | p99 ratio |
                |---|---|---|---|---|
                %s
                Warm-up before the measured runs: requests/s in windows of %d s, until two in a row were each
                within %d %% of the one before (at least %d s, at most %d s). The page is warmed up after `order(id)`,
                so its windows start from a process that has already run the read path:

                | Query | Server | Requests/s, window by window | Warm-up |
                |---|---|---|---|
                %s""", ratios, SteadyState.WINDOW.toSeconds(), SteadyState.SETTLED_PERCENT, settings.readWarmup().toSeconds(),
                SteadyState.LIMIT.toSeconds(), warmUps));
        memory.report(report);

        Report.step("Profiling the read path (JFR)");
        report.append("\n## Profiles (JFR, `settings=profile`)\n");
        Peer baseline = peers.get(peers.size() - 1);
        report.append(Profiler.profile(orderly.process(), "read-orderly", "Orderly, page of 50 PAID orders", work,
                () -> readLoad(orderly, "page", workload, settings.profile())));
        report.append(Profiler.profile(orderly.process(), "read-orderly-order", "Orderly, `order(id)`", work,
                () -> readLoad(orderly, "order", workload, settings.profile())));
        report.append(Profiler.profile(baseline.process(), "read-baseline", "SQL-join baseline, page of 50 PAID orders", work,
                () -> readLoad(baseline, "page", workload, settings.profile())));
    }

    /** The read path's load: from wrk where it is installed (it costs the shared cores less), else from this JVM. */
    private RunResult readLoad(Peer peer, String query, Workload workload, Duration duration) throws Exception {
        if (!wrk) {
            Function<Integer, String> body = query.equals("order")
                    ? worker -> peer.orderBody().apply(workload.randomOrderId()) : worker -> peer.pageBody();
            return ClosedLoop.queries(peer.client(), body, duration, settings.readConcurrency());
        }
        List<String> bodies = query.equals("order")
                ? workload.orderIds().stream().limit(2_000).map(peer.orderBody()).toList() : List.of(peer.pageBody());
        return Wrk.run(peer.client(), bodies, settings.readConcurrency(), duration, work);
    }
}
