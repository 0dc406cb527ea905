package io.orderly.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;

/**
 * Runs the whole benchmark in one go: seeds a data set, times the rebuild of the read models,
 * compares the read path with the SQL-join baseline, measures freshness and the write path, profiles
 * both paths, and prints the figures (also written to {@code bench/target/bench-report.md}).
 *
 * <p>Run it with {@code bench/run.sh [--quick]} from the repository root.
 */
public final class BenchDriver {

    /** The same flags for Orderly and the baseline. */
    static final List<String> JVM_FLAGS = List.of("-Xms512m", "-Xmx1g", "-XX:+UseG1GC");

    /** What the projector logs when a snapshot is complete ("Snapshot on slot '…' complete at position …"). */
    static final String SNAPSHOT_COMPLETE = "complete at position";

    static final String PRODUCT_QUERY = """
            query ($id: ID!) { product(id: $id) { id sku name price { amount currency } stock unitsSold } }
            """;

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

    private final Settings settings;
    private final boolean readPathOnly;
    private final boolean freshnessOnly;
    /** Options given to the measured Orderly as they are, to compare settings (e.g. the projector's). */
    private final List<String> orderlyOptions;
    private final boolean wrk = Wrk.installed();
    private final Path root = Path.of("").toAbsolutePath();
    private final Path work = root.resolve("bench/target/run");
    private final StringBuilder report = new StringBuilder();
    private final Map<String, String> headline = new LinkedHashMap<>();

    private BenchDriver(Settings settings, boolean readPathOnly, boolean freshnessOnly, List<String> orderlyOptions) {
        this.settings = settings;
        this.readPathOnly = readPathOnly;
        this.freshnessOnly = freshnessOnly;
        this.orderlyOptions = orderlyOptions;
    }

    /**
     * {@code --quick}: the small data set; {@code --read-path}: only the read path and its profiles;
     * {@code --freshness}: only freshness; any {@code --orderly.…=…}: passed to the measured Orderly.
     */
    public static void main(String[] args) throws Exception {
        List<String> given = List.of(args);
        for (String arg : given) {
            if (!List.of("--quick", "--read-path", "--freshness").contains(arg) && !isOrderlyOption(arg)) {
                throw new IllegalArgumentException("Unknown argument '" + arg
                        + "': expected --quick, --read-path or --freshness, and --orderly.…=… options for the measured Orderly");
            }
        }
        if (given.contains("--read-path") && given.contains("--freshness")) {
            throw new IllegalArgumentException("--read-path and --freshness each run one part only: give one of them");
        }
        Settings settings = given.contains("--quick") ? Settings.quick() : Settings.full();
        List<String> orderlyOptions = given.stream().filter(BenchDriver::isOrderlyOption).toList();
        new BenchDriver(settings, given.contains("--read-path"), given.contains("--freshness"), orderlyOptions).run();
    }

    /** An application option given as {@code --orderly.name=value}. */
    static boolean isOrderlyOption(String arg) {
        return arg.startsWith("--orderly.") && arg.indexOf('=') > 0;
    }

    /**
     * The application's arguments: {@code fixed}, less those the {@code options} set again, then the
     * options (Spring would join two values of one property into a list).
     */
    static List<String> withOptions(List<String> fixed, List<String> options) {
        List<String> names = options.stream().map(option -> option.substring(0, option.indexOf('=') + 1)).toList();
        List<String> arguments = new ArrayList<>(fixed.stream().filter(arg -> names.stream().noneMatch(arg::startsWith)).toList());
        arguments.addAll(options);
        return arguments;
    }

    private void run() throws Exception {
        Instant began = Instant.now();
        deleteRecursively(work);
        Files.createDirectories(work);
        int postgresPort = freePort();
        int redisPort = freePort();
        int orderlyPort = freePort();
        int baselinePort = freePort();
        String jdbcUrl = "jdbc:postgresql://localhost:" + postgresPort + "/orderly";
        header();

        // 1. Seed with only the command role running (it migrates the schema; no projector yet).
        step("Seeding " + settings.customers() + " customers, " + settings.products() + " products, " + settings.orders() + " orders");
        long rows;
        try (AppProcess command = startOrderly("orderly-command", orderlyPort, postgresPort, redisPort, List.of("--orderly.roles=command"))) {
            command.awaitHttp(Duration.ofMinutes(3));
            long t0 = System.nanoTime();
            try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
                rows = Seeder.seed(connection, settings);
            }
            System.out.printf("  seeded %,d rows in %.1f s%n", rows, (System.nanoTime() - t0) / 1e9);
        }

        // 2. Start every role: no watermark in Redis, so the projector rebuilds from a snapshot.
        step("Starting Orderly with all roles: rebuilding the read models from a snapshot");
        // No warm-up of the read path at start: it would share the cores with the rebuild measured
        // first; the read path has its own warm-up per query below.
        List<String> measured = List.of(
                "--orderly.consistency.timeout=10s",
                "--orderly.query.warm-up=0s",
                "--management.endpoints.web.exposure.include=health,info,metrics");
        try (AppProcess orderly = startOrderly("orderly", orderlyPort, postgresPort, redisPort, withOptions(measured, orderlyOptions))) {
            orderly.awaitHttp(Duration.ofMinutes(3));
            // Authentication on, as in production: every request carries a staff token (RS256).
            String token = GraphQlClient.developmentToken(orderlyPort, "bench-staff", "STAFF,ADMIN");
            orderly.authorize(token);
            GraphQlClient orderlyClient = new GraphQlClient(orderlyPort, token);
            rebuild(orderly, orderlyClient, rows);
            if (freshnessOnly) {
                freshness(orderlyClient, workload(jdbcUrl));
                finish(began);
                return;
            }

            step("Starting the SQL-join baseline and PostGraphile");
            int postGraphilePort = freePort();
            try (AppProcess baseline = AppProcess.start("sql-join-baseline", JVM_FLAGS,
                    List.of("-Dloader.main=io.orderly.bench.baseline.SqlJoinBaseline", "-jar", benchJar().toString()),
                    List.of("--server.port=" + baselinePort, "--spring.datasource.url=" + jdbcUrl,
                            "--spring.datasource.username=postgres", "--spring.datasource.password="),
                    work.resolve("logs/baseline.log"), baselinePort);
                    AppProcess postGraphile = PostGraphile.start(root, work, jdbcUrl, postgresPort, postGraphilePort)) {
                baseline.awaitHttp(Duration.ofMinutes(2));
                postGraphile.awaitGraphQl(Duration.ofMinutes(2));
                GraphQlClient baselineClient = new GraphQlClient(baselinePort);
                GraphQlClient postGraphileClient = new GraphQlClient(postGraphilePort);
                Workload workload = workload(jdbcUrl);
                sameAnswers(orderlyClient, baselineClient, postGraphileClient, workload);
                Function<String, String> orderBody = id -> GraphQlClient.body(ORDER_QUERY, Map.of("id", id));
                readPath(List.of(
                        new Peer("Orderly (Redis)", orderly, orderlyClient, orderBody, GraphQlClient.body(PAGE_QUERY, Map.of()),
                                orderly.descendant("redis-server")),
                        new Peer("PostGraphile 5", postGraphile, postGraphileClient,
                                id -> GraphQlClient.body(PostGraphile.ORDER_QUERY, Map.of("id", id)),
                                GraphQlClient.body(PostGraphile.PAGE_QUERY, Map.of()), -1),
                        new Peer("SQL-join baseline", baseline, baselineClient, orderBody, GraphQlClient.body(PAGE_QUERY, Map.of()), -1)),
                        workload);
            }
            if (!readPathOnly) {
                tokenCost(jdbcUrl, redisPort, workload(jdbcUrl));
                isolation(orderlyClient, orderlyPort, workload(jdbcUrl));
                freshness(orderlyClient, workload(jdbcUrl));
                writePath(orderly, orderlyClient, jdbcUrl, workload(jdbcUrl));
            }
        }
        finish(began);
    }

    private void finish(Instant began) throws IOException {
        headlineTable();
        report.append(String.format(Locale.ROOT, "%nThe whole run took %.1f minutes.%n",
                Duration.between(began, Instant.now()).toSeconds() / 60.0));
        Path out = root.resolve("bench/target/bench-report.md");
        Files.writeString(out, report.toString());
        System.out.println();
        System.out.println(report);
        System.out.println("Report written to " + out);
    }

    private AppProcess startOrderly(String name, int port, int postgresPort, int redisPort, List<String> extra) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "--orderly.embedded.data-dir=" + work.resolve("data"),
                "--server.port=" + port,
                "--orderly.embedded.postgres-port=" + postgresPort,
                "--orderly.embedded.redis-port=" + redisPort));
        args.addAll(extra);
        return AppProcess.start(name, JVM_FLAGS, List.of("-jar", orderlyJar().toString()), args,
                work.resolve("logs/" + name + ".log"), port);
    }

    private Path orderlyJar() {
        return root.resolve("api/target/orderly-api-0.1.0-SNAPSHOT.jar");
    }

    private Path benchJar() {
        return root.resolve("bench/target/orderly-bench-0.1.0-SNAPSHOT.jar");
    }

    // ---------------------------------------------------------------- rebuild

    private void rebuild(AppProcess orderly, GraphQlClient client, long rows) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            String log = Files.readString(orderly.log());
            if (log.contains(SNAPSHOT_COMPLETE)) {
                state = client.data("{ projection { state appliedPosition } }", Map.of()).path("projection").path("state").asString();
                if (state.equals("STREAMING")) {
                    break;
                }
            }
            Thread.sleep(500);
        }
        if (!state.equals("STREAMING")) {
            throw new IllegalStateException("the snapshot did not complete; see " + orderly.log());
        }
        List<String> lines = Files.readAllLines(orderly.log());
        Instant from = logTime(lines, "from a fresh snapshot");
        Instant to = logTime(lines, SNAPSHOT_COMPLETE);
        double seconds = Duration.between(from, to).toMillis() / 1000.0;
        double rate = rows / seconds;
        System.out.printf("  snapshot of %,d rows in %.1f s: %,.0f rows/s%n", rows, seconds, rate);
        report.append(String.format(Locale.ROOT, """

                ## Rebuild of the read models from a snapshot

                %,d rows (customers, products, orders, order lines) read by the Debezium snapshot and projected
                into Redis in %.1f s: **%,.0f rows/s** (one run: from the log line announcing the rebuild to
                "Snapshot complete").
                """, rows, seconds, rate));
        headline.put("Rebuild from a snapshot", String.format(Locale.ROOT, "%,.0f rows/s (%,d rows in %.0f s)", rate, rows, seconds));
    }

    static Instant logTime(List<String> lines, String text) {
        String line = lines.stream().filter(l -> l.contains(text)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no log line with: " + text));
        return OffsetDateTime.parse(line.substring(0, line.indexOf(' '))).toInstant();
    }

    // ---------------------------------------------------------------- read path

    private Workload workload(String jdbcUrl) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
                Statement sql = connection.createStatement()) {
            return new Workload(uuids(sql, "SELECT id FROM customers ORDER BY id"),
                    uuids(sql, "SELECT id FROM products ORDER BY id"),
                    uuids(sql, "SELECT id FROM orders ORDER BY random() LIMIT 10000").stream().map(UUID::toString).toList());
        }
    }

    private static List<UUID> uuids(Statement sql, String query) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (ResultSet rs = sql.executeQuery(query)) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    /** A GraphQL server measured on the read path, with the bodies of the two queries in its own names. */
    private record Peer(String name, AppProcess process, GraphQlClient client, Function<String, String> orderBody,
            String pageBody, long companionPid) {
    }

    /**
     * Every peer must answer with the same content, or the comparison means nothing: the SQL-join
     * baseline with identical {@code data}, PostGraphile with the same content in its own names.
     */
    private void sameAnswers(GraphQlClient orderly, GraphQlClient baseline, GraphQlClient postGraphile, Workload workload)
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

    private void readPath(List<Peer> peers, Workload workload) throws Exception {
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
        Map<String, List<Double>> heap = new LinkedHashMap<>();
        Map<String, List<Double>> rss = new LinkedHashMap<>();
        List<Double> redisRss = new ArrayList<>();
        peers.forEach(peer -> {
            heap.put(peer.name(), new ArrayList<>());
            rss.put(peer.name(), new ArrayList<>());
        });
        StringBuilder ratios = new StringBuilder();
        StringBuilder warmUps = new StringBuilder();
        for (String query : List.of("order", "page")) {
            String label = query.equals("order") ? "`order(id)` with lines, products, customer" : "`orders(first: 50, status: PAID)`, same fields";
            Map<String, List<RunResult>> runs = new LinkedHashMap<>();
            step("Read path, " + query + ": warming up until steady");
            for (Peer peer : peers) {
                SteadyState.WarmUp warmUp = SteadyState.warmUp(duration -> readLoad(peer, query, workload, duration), settings.readWarmup());
                System.out.printf(Locale.ROOT, "  %s: %s requests/s%s%n", peer.name(), warmUp.format(), warmUp.settled() ? "" : " (not settled)");
                warmUps.append(String.format(Locale.ROOT, "| %s | %s | %s | %d s%s |%n", label, peer.name(), warmUp.format(), warmUp.seconds(),
                        warmUp.settled() ? "" : ", not settled"));
                runs.put(peer.name(), new ArrayList<>());
            }
            for (int run = 1; run <= settings.readRuns(); run++) {
                StringBuilder line = new StringBuilder("  run " + run + ":");
                for (Peer peer : peers) {
                    try (MemorySampler memory = new MemorySampler(peer.process(), peer.companionPid())) {
                        RunResult result = readLoad(peer, query, workload, settings.readRun());
                        runs.get(peer.name()).add(result);
                        heap.get(peer.name()).addAll(memory.heapMiB);
                        rss.get(peer.name()).addAll(memory.rssMiB);
                        if (peer == orderly) {
                            redisRss.addAll(memory.otherRssMiB);
                        }
                        line.append(String.format(Locale.ROOT, " %s %.0f/s p99 %.1f ms;", peer.name(), result.perSecond(), result.p99()));
                    }
                }
                System.out.println(line);
            }
            List<RunResult> ours = runs.get(orderly.name());
            runs.forEach((name, results) -> row(label, name, results));
            for (Peer peer : peers.subList(1, peers.size())) {
                List<RunResult> theirs = runs.get(peer.name());
                Stats throughput = ratio(ours, theirs, RunResult::perSecond, false);
                ratios.append(String.format(Locale.ROOT, "| %s | %s | %s× | %s× | %s× |%n", label, peer.name(), throughput.format(2),
                        ratio(ours, theirs, RunResult::p50, true).format(2), ratio(ours, theirs, RunResult::p99, true).format(2)));
                headline.put("Read " + (query.equals("order") ? "`order(id)`" : "page of 50 PAID orders") + ", Orderly ÷ " + peer.name(),
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

        StringBuilder memoryRows = new StringBuilder();
        for (Peer peer : peers) {
            memoryRows.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", peer.name(),
                    heap.get(peer.name()).isEmpty() ? "—" : Stats.of(heap.get(peer.name())).format(0),
                    Stats.of(rss.get(peer.name())).format(0)));
        }
        report.append(String.format(Locale.ROOT, """

                ## Memory under the read load

                Sampled once a second during the measured read runs above. MiB, median (min–max).

                | Process | Heap used | Resident set (RSS) |
                |---|---|---|
                %s| Redis holding Orderly's read models (embedded redis-server) | — | %s |
                """, memoryRows, Stats.of(redisRss).format(0)));
        headline.put("Memory under read load (Orderly JVM)", String.format(Locale.ROOT, "heap %.0f MiB, RSS %.0f MiB (+ Redis RSS %.0f MiB)",
                Stats.of(heap.get(orderly.name())).median(), Stats.of(rss.get(orderly.name())).median(), Stats.of(redisRss).median()));

        step("Profiling the read path (JFR)");
        report.append("\n## Profiles (JFR, `settings=profile`)\n");
        Peer baseline = peers.get(peers.size() - 1);
        profile(orderly.process(), "read-orderly", "Orderly, page of 50 PAID orders",
                () -> readLoad(orderly, "page", workload, settings.profile()));
        profile(orderly.process(), "read-orderly-order", "Orderly, `order(id)`",
                () -> readLoad(orderly, "order", workload, settings.profile()));
        profile(baseline.process(), "read-baseline", "SQL-join baseline, page of 50 PAID orders",
                () -> readLoad(baseline, "page", workload, settings.profile()));
    }

    /** The read path's load: from wrk where it is installed (it costs the shared cores less), else from this JVM. */
    private RunResult readLoad(Peer peer, String query, Workload workload, Duration duration) throws Exception {
        if (!wrk) {
            Function<Integer, String> body = query.equals("order")
                    ? worker -> peer.orderBody().apply(workload.randomOrderId()) : worker -> peer.pageBody();
            return load(peer.client(), body, duration);
        }
        List<String> bodies = query.equals("order")
                ? workload.orderIds().stream().limit(2_000).map(peer.orderBody()).toList() : List.of(peer.pageBody());
        return Wrk.run(peer.client(), bodies, settings.readConcurrency(), duration, work);
    }

    /**
     * Isolation: the p99 of a staff member's simple query alone, then while a customer account
     * pushes the heaviest allowed query with as many threads as the read load uses.
     */
    private void isolation(GraphQlClient staff, int port, Workload workload) throws Exception {
        step("Isolation: a simple query alone, then next to a caller pushing the heaviest allowed query");
        HostileNeighbour hostile = new HostileNeighbour(port, GraphQlClient.developmentToken(port, "bench-mallory", "CUSTOMER"));
        Function<Integer, String> body = worker -> GraphQlClient.body(PRODUCT_QUERY, Map.of("id", workload.randomProductId()));
        int concurrency = 2;
        load(staff, body, settings.readWarmup(), concurrency);
        RunResult alone = load(staff, body, settings.readRun(), concurrency);
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
        RunResult attacked = load(staff, body, settings.readRun(), concurrency);
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
        headline.put("Simple query p99 next to a caller pushing the heaviest allowed query", String.format(Locale.ROOT,
                "%.1f ms (alone %.1f ms)", attacked.p99(), alone.p99()));
    }

    /**
     * What validating a bearer token costs: the same public query (a product by id) with a staff
     * token and without any, alternating run by run.
     */
    /**
     * In a query process of its own, on the same PostgreSQL and Redis, whose limit for anonymous
     * callers is lifted: every request of the benchmark comes from one address, so with the default
     * limit the anonymous side would be measuring refusals. Both sides then run the same code but
     * for the token (the limiter still counts the anonymous requests; staff are exempt from it).
     */
    private void tokenCost(String jdbcUrl, int redisPort, Workload workload) throws Exception {
        step("Token validation cost: a public query with and without a bearer token");
        int port = freePort();
        try (AppProcess query = AppProcess.start("orderly-token-cost", JVM_FLAGS, List.of("-jar", orderlyJar().toString()),
                List.of("--server.port=" + port, "--orderly.roles=query", "--orderly.embedded.data-dir=" + work.resolve("data"),
                        "--orderly.security.dev-issuer.enabled=true",
                        "--spring.datasource.url=" + jdbcUrl, "--spring.datasource.username=postgres", "--spring.datasource.password=",
                        "--spring.data.redis.host=localhost", "--spring.data.redis.port=" + redisPort,
                        "--orderly.limits.rate.requests-per-second=1000000", "--orderly.limits.rate.burst=1000000"),
                work.resolve("logs/orderly-token-cost.log"), port)) {
            query.awaitHttp(Duration.ofMinutes(2));
            tokenCost(new GraphQlClient(port, GraphQlClient.developmentToken(port, "bench-staff", "STAFF,ADMIN")),
                    new GraphQlClient(port), workload);
        }
    }

    private void tokenCost(GraphQlClient withToken, GraphQlClient anonymous, Workload workload) throws Exception {
        Function<Integer, String> body = worker -> GraphQlClient.body(PRODUCT_QUERY, Map.of("id", workload.randomProductId()));
        load(withToken, body, settings.readWarmup());
        load(anonymous, body, settings.readWarmup());
        List<RunResult> signed = new ArrayList<>();
        List<RunResult> unsigned = new ArrayList<>();
        for (int run = 1; run <= settings.readRuns(); run++) {
            signed.add(load(withToken, body, settings.readRun()));
            unsigned.add(load(anonymous, body, settings.readRun()));
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
        headline.put("Bearer-token validation per request", String.format(Locale.ROOT,
                "%.2f× the anonymous throughput (about %.0f µs CPU)", with / without, microsPerRequest));
    }

    private RunResult load(GraphQlClient client, Function<Integer, String> body, Duration duration) throws InterruptedException {
        return load(client, body, duration, settings.readConcurrency());
    }

    private RunResult load(GraphQlClient client, Function<Integer, String> body, Duration duration, int concurrency)
            throws InterruptedException {
        return ClosedLoop.run(concurrency, duration, worker -> !client.post(body.apply(worker)).contains("\"errors\""));
    }

    private void row(String label, String server, List<RunResult> runs) {
        report.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", label, server,
                Stats.of(runs.stream().map(RunResult::perSecond).toList()).format(0),
                Stats.of(runs.stream().map(RunResult::p50).toList()).format(2),
                Stats.of(runs.stream().map(RunResult::p99).toList()).format(2)));
    }

    /** Run by run: ours ÷ theirs, or theirs ÷ ours when {@code inverse} (latencies). */
    private static Stats ratio(List<RunResult> ours, List<RunResult> theirs, Function<RunResult, Double> figure, boolean inverse) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(ours.size(), theirs.size()); i++) {
            double a = figure.apply(ours.get(i));
            double b = figure.apply(theirs.get(i));
            ratios.add(inverse ? b / a : a / b);
        }
        return Stats.of(ratios);
    }

    @FunctionalInterface
    private interface Load {
        RunResult run() throws Exception;
    }

    private void profile(AppProcess app, String name, String title, Load load) throws Exception {
        Profiler.start(app.pid(), name);
        RunResult result = load.run();
        Path file = Profiler.stop(app.pid(), name, work.resolve(name + ".jfr"));
        report.append(String.format(Locale.ROOT, "%n### %s (%.0f requests/s while recording)%n%n%s", title, result.perSecond(),
                Profiler.summarize(file, 12)));
    }

    // ---------------------------------------------------------------- freshness

    private void freshness(GraphQlClient client, Workload workload) throws Exception {
        step("Freshness: steady write rates, commit to read model and to subscriber");
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
                    awaitCaughtUp(client, workload);
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
                    headline.put("Freshness at 300 writes/s, commit → read model / → subscriber, p99",
                            String.format(Locale.ROOT, "%.1f ms / %.1f ms",
                                    Stats.of(results.stream().map(r -> ms(r.visible(), 99)).toList()).median(),
                                    Stats.of(results.stream().map(r -> ms(r.received(), 99)).toList()).median()));
                }
            }
            String limit = firstUnbounded == null
                    ? "Lag stayed bounded at every rate tried (up to " + settings.writeRates().get(settings.writeRates().size() - 1) + " writes/s)."
                    : "Lag grows without bound from " + firstUnbounded + " writes/s on (see the achieved rate: whether the writes or the projector fall behind).";
            report.append("\n").append(limit).append("\n");
            headline.put("Rate where lag grows without bound", firstUnbounded == null ? "not reached (" + limit + ")" : firstUnbounded + " writes/s");
        }
    }

    private static double ms(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? Double.NaN
                : (percentile >= 100 ? histogram.getMaxValue() : histogram.getValueAtPercentile(percentile)) / 1000.0;
    }

    private static String percentile(List<Freshness.Result> results, Function<Freshness.Result, Histogram> which, double percentile) {
        return Stats.of(results.stream().map(r -> ms(which.apply(r), percentile)).toList()).format(1);
    }

    // ---------------------------------------------------------------- write path

    private void writePath(AppProcess orderly, GraphQlClient client, String jdbcUrl, Workload workload) throws Exception {
        step("Write path: placeOrder through GraphQL against the same transaction over JDBC");
        int concurrency = settings.writeConcurrency();
        List<JdbcPlaceOrder> jdbc = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            jdbc.add(new JdbcPlaceOrder(DriverManager.getConnection(jdbcUrl, "postgres", "")));
        }
        ClosedLoop.Operation graphQl = worker -> placeThroughGraphQl(client, workload, Workload.PLACE_ORDER);
        ClosedLoop.Operation graphQlReading = worker -> placeThroughGraphQl(client, workload, Workload.PLACE_ORDER_READING_IT);
        ClosedLoop.Operation direct = worker -> {
            jdbc.get(worker).place(workload.nextOrder());
            return true;
        };
        SteadyState.WarmUp graphQlWarmUp = SteadyState.warmUp(duration -> ClosedLoop.run(concurrency, duration, graphQl), Duration.ofSeconds(15));
        SteadyState.WarmUp jdbcWarmUp = SteadyState.warmUp(duration -> ClosedLoop.run(concurrency, duration, direct), Duration.ofSeconds(15));
        System.out.printf(Locale.ROOT, "  warm-up: GraphQL %s/s%s, JDBC %s/s%s%n", graphQlWarmUp.format(), settledOrNot(graphQlWarmUp),
                jdbcWarmUp.format(), settledOrNot(jdbcWarmUp));
        List<RunResult> viaGraphQl = new ArrayList<>();
        List<RunResult> viaJdbc = new ArrayList<>();
        List<RunResult> viaGraphQlReading = new ArrayList<>();
        for (int run = 1; run <= settings.writeRuns(); run++) {
            // The warm-ups and each JDBC run leave the projector a backlog (a minute of JDBC writes is
            // over 100,000 orders), which it would work off on the same cores as the GraphQL run.
            awaitCaughtUp(client, workload);
            viaGraphQl.add(ClosedLoop.run(concurrency, settings.writeRun(), graphQl));
            Thread.sleep(1000);
            viaJdbc.add(ClosedLoop.run(concurrency, settings.writeRun(), direct));
            Thread.sleep(1000);
            System.out.printf("  run %d: GraphQL %.0f/s, JDBC %.0f/s%n", run,
                    viaGraphQl.get(run - 1).perSecond(), viaJdbc.get(run - 1).perSecond());
        }
        // Selecting the order makes each mutation wait for the projector, which first has to work
        // through the backlog the runs above left: these runs come after it has caught up.
        awaitCaughtUp(client, workload);
        for (int run = 1; run <= settings.writeRuns(); run++) {
            viaGraphQlReading.add(ClosedLoop.run(concurrency, settings.writeRun(), graphQlReading));
            System.out.printf("  run %d: GraphQL reading the order %.0f/s%n", run, viaGraphQlReading.get(run - 1).perSecond());
        }
        for (JdbcPlaceOrder connection : jdbc) {
            connection.close();
        }
        Stats overhead = ratio(viaJdbc, viaGraphQl, RunResult::perSecond, false);
        Stats latency = ratio(viaJdbc, viaGraphQl, RunResult::p50, true);
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
                """, concurrency, graphQlWarmUp.format(), settledOrNot(graphQlWarmUp), jdbcWarmUp.format(), settledOrNot(jdbcWarmUp),
                settings.writeRuns(), settings.writeRun().toSeconds()));
        writeRow("GraphQL `placeOrder { orderId consistencyToken errors }`", viaGraphQl);
        writeRow("Same transaction over plain JDBC", viaJdbc);
        writeRow("GraphQL `placeOrder { … order { … } }` (waits for the read model)", viaGraphQlReading);
        report.append(String.format(Locale.ROOT, """

                Overhead of GraphQL over bare JDBC, run by run: throughput JDBC ÷ GraphQL **%s×**, p50 latency GraphQL ÷ JDBC %s×.
                """, overhead.format(2), latency.format(2)));
        headline.put("Write overhead, JDBC ÷ GraphQL placeOrder/s", String.format(Locale.ROOT, "%.2f× (%.0f vs %.0f placeOrder/s)",
                overhead.median(), Stats.of(viaJdbc.stream().map(RunResult::perSecond).toList()).median(),
                Stats.of(viaGraphQl.stream().map(RunResult::perSecond).toList()).median()));
        step("Profiling the write path (JFR)");
        profile(orderly, "write-orderly", "Orderly, `placeOrder` through GraphQL",
                () -> ClosedLoop.run(concurrency, settings.profile(), graphQl));
    }

    private static String settledOrNot(SteadyState.WarmUp warmUp) {
        return warmUp.settled() ? "" : " (not settled)";
    }

    /**
     * Waits until the projector has applied every write made so far: places one order and waits
     * for it to be readable (commit order makes every earlier write readable too). Bounded.
     */
    private static void awaitCaughtUp(GraphQlClient client, Workload workload) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (placeThroughGraphQl(client, workload, Workload.PLACE_ORDER_READING_IT)) {
                    System.out.printf("  read models caught up after %.1f s%n", (System.nanoTime() - t0) / 1e9);
                    return;
                }
            }
            catch (Exception stillBehind) {
                // CONSISTENCY_TIMEOUT: the projector is still working through the backlog
            }
            Thread.sleep(500);
        }
        System.out.println("  the read models did not catch up within 5 minutes");
    }

    private static boolean placeThroughGraphQl(GraphQlClient client, Workload workload, String mutation) throws Exception {
        JsonNode payload = GraphQlClient.JSON.readTree(client.post(GraphQlClient.body(mutation, workload.nextOrder().input())))
                .path("data").path("placeOrder");
        return payload.path("errors").isEmpty() && !payload.path("orderId").isNull();
    }

    private void writeRow(String label, List<RunResult> runs) {
        report.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", label,
                Stats.of(runs.stream().map(RunResult::perSecond).toList()).format(0),
                Stats.of(runs.stream().map(RunResult::p50).toList()).format(2),
                Stats.of(runs.stream().map(RunResult::p99).toList()).format(2)));
        long errors = runs.stream().mapToLong(RunResult::errors).sum();
        if (errors > 0) {
            report.append(String.format(Locale.ROOT, "| (%s: failed requests %d) | | | |%n", label, errors));
        }
    }

    // ---------------------------------------------------------------- report

    private void header() throws IOException {
        String memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .map(l -> String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
                .findFirst().orElse("?");
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
        report.append(String.format(Locale.ROOT, """
                # Orderly benchmark report (%s run)

                - Date: %s
                - Machine: %d cores (%s), %s memory, %s %s
                - Java: %s (%s)
                - JVM flags of Orderly and of the baseline: `%s`
                - Data set: %,d customers, %,d products, %,d orders with 1–5 lines
                """, settings.name(), LocalDate.now(), Runtime.getRuntime().availableProcessors(), cpu, memory,
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), String.join(" ", JVM_FLAGS),
                settings.customers(), settings.products(), settings.orders()));
        if (!orderlyOptions.isEmpty()) {
            report.append("- Options of the measured Orderly: `").append(String.join(" ", orderlyOptions)).append("`\n");
        }
    }

    private void headlineTable() {
        StringBuilder table = new StringBuilder("\n## Headline\n\n| Measure | Result |\n|---|---|\n");
        headline.forEach((measure, result) -> table.append("| ").append(measure).append(" | ").append(result).append(" |\n"));
        int at = report.indexOf("\n## ");
        report.insert(at < 0 ? report.length() : at, table);
    }

    private static void step(String text) {
        System.out.println("== " + text);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
