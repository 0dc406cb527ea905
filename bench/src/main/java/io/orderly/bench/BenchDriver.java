package io.orderly.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs the whole benchmark in one go: seeds a data set, times the rebuild of the read models,
 * compares the read path with the SQL-join baseline, measures freshness and the write path, profiles
 * both paths, and prints the figures (also written to {@code bench/target/bench-report.md}). Each
 * step is a class of its own ({@link RebuildStep}, {@link ReadPathStep}, {@link TokenCostStep},
 * {@link IsolationStep}, {@link FreshnessStep}, {@link WritePathStep}) writing its section of the
 * {@link Report}; this class starts the processes and runs the steps in order.
 *
 * <p>Run it with {@code bench/run.sh [--quick]} from the repository root.
 */
public final class BenchDriver {

    private final Settings settings;
    private final boolean readPathOnly;
    private final boolean freshnessOnly;
    /** Options given to the measured Orderly as they are, to compare settings (e.g. the projector's). */
    private final List<String> orderlyOptions;
    private final boolean wrk = Wrk.installed();
    private final Path root = Path.of("").toAbsolutePath();
    private final Path work = root.resolve("bench/target/run");
    private final Report report = new Report();

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
            if (!List.of("--quick", "--read-path", "--freshness").contains(arg) && !OrderlyOptions.isOrderlyOption(arg)) {
                throw new IllegalArgumentException("Unknown argument '" + arg
                        + "': expected --quick, --read-path or --freshness, and --orderly.…=… options for the measured Orderly");
            }
        }
        if (given.contains("--read-path") && given.contains("--freshness")) {
            throw new IllegalArgumentException("--read-path and --freshness each run one part only: give one of them");
        }
        Settings settings = given.contains("--quick") ? Settings.quick() : Settings.full();
        List<String> orderlyOptions = given.stream().filter(OrderlyOptions::isOrderlyOption).toList();
        new BenchDriver(settings, given.contains("--read-path"), given.contains("--freshness"), orderlyOptions).run();
    }

    private void run() throws Exception {
        Instant began = Instant.now();
        WorkDirectory.deleteRecursively(work);
        Files.createDirectories(work);
        int postgresPort = AppProcess.freePort();
        int redisPort = AppProcess.freePort();
        int orderlyPort = AppProcess.freePort();
        int baselinePort = AppProcess.freePort();
        String jdbcUrl = "jdbc:postgresql://localhost:" + postgresPort + "/orderly";
        report.header(settings, orderlyOptions);

        // 1. Seed with only the command role running (it migrates the schema; no projector yet).
        Report.step("Seeding " + settings.customers() + " customers, " + settings.products() + " products, " + settings.orders() + " orders");
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
        Report.step("Starting Orderly with all roles: rebuilding the read models from a snapshot");
        // No warm-up of the read path at start: it would share the cores with the rebuild measured
        // first; the read path has its own warm-up per query below.
        List<String> measured = List.of(
                "--orderly.consistency.timeout=10s",
                "--orderly.query.warm-up=0s",
                "--management.endpoints.web.exposure.include=health,info,metrics");
        try (AppProcess orderly = startOrderly("orderly", orderlyPort, postgresPort, redisPort,
                OrderlyOptions.withOptions(measured, orderlyOptions))) {
            orderly.awaitHttp(Duration.ofMinutes(3));
            // Authentication on, as in production: every request carries a staff token (RS256).
            String token = GraphQlClient.developmentToken(orderlyPort, "bench-staff", "STAFF,ADMIN");
            orderly.authorize(token);
            GraphQlClient orderlyClient = new GraphQlClient(orderlyPort, token);
            new RebuildStep(report).run(orderly, orderlyClient, rows);
            if (freshnessOnly) {
                new FreshnessStep(settings, report).run(orderlyClient, Workload.seeded(jdbcUrl));
                finish(began);
                return;
            }

            Report.step("Starting the SQL-join baseline and PostGraphile");
            int postGraphilePort = AppProcess.freePort();
            try (AppProcess baseline = AppProcess.start("sql-join-baseline", AppProcess.JVM_FLAGS,
                    List.of("-Dloader.main=io.orderly.bench.baseline.SqlJoinBaseline", "-jar", benchJar().toString()),
                    List.of("--server.port=" + baselinePort, "--spring.datasource.url=" + jdbcUrl,
                            "--spring.datasource.username=postgres", "--spring.datasource.password="),
                    work.resolve("logs/baseline.log"), baselinePort);
                    AppProcess postGraphile = PostGraphile.start(root, work, jdbcUrl, postgresPort, postGraphilePort)) {
                baseline.awaitHttp(Duration.ofMinutes(2));
                postGraphile.awaitGraphQl(Duration.ofMinutes(2));
                GraphQlClient baselineClient = new GraphQlClient(baselinePort);
                GraphQlClient postGraphileClient = new GraphQlClient(postGraphilePort);
                Workload workload = Workload.seeded(jdbcUrl);
                ReadPathStep readPath = new ReadPathStep(settings, report, work, wrk);
                readPath.sameAnswers(orderlyClient, baselineClient, postGraphileClient, workload);
                Function<String, String> orderBody = id -> GraphQlClient.body(ReadPathStep.ORDER_QUERY, Map.of("id", id));
                readPath.run(List.of(
                        new ReadPathStep.Peer("Orderly (Redis)", orderly, orderlyClient, orderBody,
                                GraphQlClient.body(ReadPathStep.PAGE_QUERY, Map.of()), orderly.descendant("redis-server")),
                        new ReadPathStep.Peer("PostGraphile 5", postGraphile, postGraphileClient,
                                id -> GraphQlClient.body(PostGraphile.ORDER_QUERY, Map.of("id", id)),
                                GraphQlClient.body(PostGraphile.PAGE_QUERY, Map.of()), -1),
                        new ReadPathStep.Peer("SQL-join baseline", baseline, baselineClient, orderBody,
                                GraphQlClient.body(ReadPathStep.PAGE_QUERY, Map.of()), -1)),
                        workload);
            }
            if (!readPathOnly) {
                new TokenCostStep(settings, report, work, orderlyJar()).run(jdbcUrl, redisPort, Workload.seeded(jdbcUrl));
                new IsolationStep(settings, report).run(orderlyClient, orderlyPort, Workload.seeded(jdbcUrl));
                new FreshnessStep(settings, report).run(orderlyClient, Workload.seeded(jdbcUrl));
                new WritePathStep(settings, report, work).run(orderly, orderlyClient, jdbcUrl, Workload.seeded(jdbcUrl));
            }
        }
        finish(began);
    }

    private void finish(Instant began) throws IOException {
        report.finish(began, root.resolve("bench/target/bench-report.md"));
    }

    private AppProcess startOrderly(String name, int port, int postgresPort, int redisPort, List<String> extra) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "--orderly.embedded.data-dir=" + work.resolve("data"),
                "--server.port=" + port,
                "--orderly.embedded.postgres-port=" + postgresPort,
                "--orderly.embedded.redis-port=" + redisPort));
        args.addAll(extra);
        return AppProcess.start(name, AppProcess.JVM_FLAGS, List.of("-jar", orderlyJar().toString()), args,
                work.resolve("logs/" + name + ".log"), port);
    }

    private Path orderlyJar() {
        return root.resolve("api/target/orderly-api-0.1.0-SNAPSHOT.jar");
    }

    private Path benchJar() {
        return root.resolve("bench/target/orderly-bench-0.1.0-SNAPSHOT.jar");
    }
}
