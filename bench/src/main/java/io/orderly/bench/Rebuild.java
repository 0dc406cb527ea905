package io.orderly.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The rebuild step alone, repeatable: seeds the data set once (kept in {@code bench/target/rebuild}),
 * then starts Orderly with all roles on an empty Redis, so that the projector rebuilds every read
 * model from a fresh snapshot, and reports the rows per second as the full run does (from the log
 * line announcing the rebuild to the one saying the snapshot is complete), with the CPU time the
 * application, Redis and PostgreSQL spent meanwhile and, with {@code --profile}, a JFR profile of
 * the application during the rebuild.
 *
 * <p>Run it from the repository root, after {@code ./mvnw -B package -DskipTests -pl api,bench -am}:
 * {@code java -Dloader.main=io.orderly.bench.Rebuild -jar bench/target/orderly-bench-0.1.0-SNAPSHOT.jar
 * [--quick] [--profile] [--once] [--orderly.… application arguments]}. A second run reuses the seeded
 * PostgreSQL; delete the directory to seed again. Unless {@code --once}, an operator's rebuild
 * follows on the same process, warmed up by the first, and is reported too.
 */
public final class Rebuild {

    private static final String STARTED = "from a fresh snapshot";
    private static final String OPERATORS = "Rebuilding the read models beside the served ones";
    /** What the log says when an operator's rebuild does not get to the end. */
    private static final List<String> REBUILD_FAILURES = List.of("Cannot start the requested rebuild", "The rebuild on slot",
            "Rebuild abandoned");

    private Rebuild() {
    }

    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args);
        Settings settings = options.contains("--quick") ? Settings.quick() : Settings.full();
        Path root = Path.of("").toAbsolutePath();
        Path work = root.resolve("bench/target/rebuild-" + settings.name());
        Path rowsFile = work.resolve("rows");
        int port = AppProcess.freePort();
        int postgresPort = AppProcess.freePort();
        int redisPort = AppProcess.freePort();
        List<String> serverArgs = List.of("--orderly.embedded.data-dir=" + work.resolve("data"), "--server.port=" + port,
                "--orderly.embedded.postgres-port=" + postgresPort, "--orderly.embedded.redis-port=" + redisPort,
                "--management.endpoints.web.exposure.include=health,info,projector");
        Path jar = root.resolve("api/target/orderly-api-0.1.0-SNAPSHOT.jar");
        if (!Files.exists(rowsFile)) {
            WorkDirectory.deleteRecursively(work);
            try (AppProcess command = AppProcess.start("orderly-command", AppProcess.JVM_FLAGS, List.of("-jar", jar.toString()),
                    concat(serverArgs, List.of("--orderly.roles=command")), work.resolve("seed.log"), port);
                    Connection connection = connect(postgresPort, command)) {
                Files.writeString(rowsFile, Long.toString(Seeder.seed(connection, settings)));
            }
        }
        long rows = Long.parseLong(Files.readString(rowsFile).trim());
        WorkDirectory.deleteRecursively(work.resolve("data/redis"));
        Path log = work.resolve("orderly.log");
        List<String> extra = options.stream().filter(OrderlyOptions::isOrderlyOption).toList();
        try (AppProcess orderly = AppProcess.start("orderly", AppProcess.JVM_FLAGS, List.of("-jar", jar.toString()),
                OrderlyOptions.withOptions(serverArgs, extra), log, port)) {
            awaitLine(log, STARTED, orderly);
            CpuTime cpu = CpuTime.of(orderly, work.resolve("data/postgres"));
            if (options.contains("--profile")) {
                Profiler.start(orderly.pid(), "rebuild");
            }
            awaitLine(log, RebuildStep.SNAPSHOT_COMPLETE, orderly);
            Map<String, Double> seconds = cpu.spentSince();
            List<String> lines = Files.readAllLines(log);
            double elapsed = Duration.between(RebuildStep.logTime(lines, STARTED), RebuildStep.logTime(lines, RebuildStep.SNAPSHOT_COMPLETE)).toMillis() / 1000.0;
            StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                    "# Rebuild%n%n%,d rows (%s data set) in %.1f s: %,.0f rows/s%s%n%nCPU seconds meanwhile: %s%n",
                    rows, settings.name(), elapsed, rows / elapsed, extra.isEmpty() ? "" : " with " + String.join(" ", extra), seconds));
            if (options.contains("--profile")) {
                Path recording = Profiler.stop(orderly.pid(), "rebuild", work.resolve("rebuild.jfr"));
                report.append(System.lineSeparator()).append(Profiler.summarize(recording, 25));
            }
            if (!options.contains("--once")) {
                report.append(operatorsRebuild(orderly, port, log, rows));
            }
            System.out.println(report);
            Files.writeString(root.resolve("bench/target/rebuild.md"), report);
        }
    }

    /**
     * An operator's rebuild on the process that has just rebuilt in place, so with its JIT warmed
     * up as in one that has been serving: a second engine snapshots beside the served read models
     * while the first keeps streaming ({@code POST /actuator/projector}), timed from the log line
     * announcing it to its snapshot's completion, as the first.
     */
    private static String operatorsRebuild(AppProcess orderly, int port, Path log, long rows) throws Exception {
        String token = GraphQlClient.developmentToken(port, "bench-operator", "ADMIN");
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/projector"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2 || !response.body().contains("\"rebuildRequested\":true")) {
            throw new IllegalStateException("rebuild refused: " + response.statusCode() + " " + response.body());
        }
        awaitLine(log, OPERATORS, orderly);
        CpuTime cpu = CpuTime.of(orderly, log.resolveSibling("data/postgres"));
        List<String> lines = Files.readAllLines(log);
        String announced = lines.stream().filter(line -> line.contains(OPERATORS)).findFirst().orElseThrow();
        Matcher slot = Pattern.compile("on slot '([^']+)'").matcher(announced);
        if (!slot.find()) {
            throw new IllegalStateException("no slot in: " + announced);
        }
        String complete = "Snapshot on slot '" + slot.group(1) + "' " + RebuildStep.SNAPSHOT_COMPLETE;
        awaitLine(log, complete, orderly);
        Map<String, Double> seconds = cpu.spentSince();
        lines = Files.readAllLines(log);
        double elapsed = Duration.between(RebuildStep.logTime(lines, OPERATORS), RebuildStep.logTime(lines, complete)).toMillis() / 1000.0;
        return String.format(Locale.ROOT, "%nThen an operator's rebuild beside the served read models, on the same (warmed-up) "
                + "process: %,d rows in %.1f s: %,.0f rows/s%n%nCPU seconds meanwhile: %s%n", rows, elapsed, rows / elapsed, seconds);
    }

    private static Connection connect(int postgresPort, AppProcess command) throws Exception {
        command.awaitHttp(Duration.ofMinutes(3));
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + postgresPort + "/orderly", "postgres", "");
    }

    private static List<String> concat(List<String> list, List<String> more) {
        return Stream.concat(list.stream(), more.stream()).toList();
    }

    private static void awaitLine(Path log, String text, AppProcess orderly) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                String written = Files.readString(log);
                if (written.contains(text)) {
                    return;
                }
                REBUILD_FAILURES.stream().filter(written::contains).findFirst().ifPresent(failure -> {
                    throw new IllegalStateException("the rebuild did not complete (\"" + failure + "\"); see " + log);
                });
            }
            if (!ProcessHandle.of(orderly.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                throw new IllegalStateException("Orderly exited; see " + log);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no log line with '" + text + "' within 30 minutes; see " + log);
    }
}
