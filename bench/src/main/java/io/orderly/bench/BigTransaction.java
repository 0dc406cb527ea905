package io.orderly.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One transaction of many rows through the projector, as an operator's bulk import and mass update
 * do it: {@code INSERT … SELECT … FROM generate_series(1, N)} in one statement, then one
 * {@code UPDATE} of the same N rows, with Orderly at {@code -Xmx512m} on its embedded servers.
 * Reports, for each, the time from commit to visible and the rows per second, the heap the
 * application used (sampled once a second), and what a reader asking all the while saw: how many
 * customers (all or none of the statement, never part), how slow its slowest answer was, and
 * how many requests failed.
 *
 * <p>Run it from the repository root, after {@code ./mvnw -B package -DskipTests -pl api,bench -am}:
 * {@code java -Dloader.main=io.orderly.bench.BigTransaction -jar bench/target/orderly-bench-0.1.0-SNAPSHOT.jar [rows
 * [warm-up rows]] [--orderly.… application arguments]}
 * (1,000,000 rows by default, after a warm-up round of 200,000 rows, the same two statements on
 * other rows; 0 skips it). The report is also written to {@code bench/target/big-transaction.md}.
 */
public final class BigTransaction {

    /**
     * Rows of the round run before the measured one, on other rows: enough for the JIT to have
     * compiled the projector's and the reader's paths, as in a process that has been serving a
     * while when an operator runs an import.
     */
    private static final int DEFAULT_WARM_UP_ROWS = 200_000;

    /** The projector's default staging threshold: only a transaction above it is staged, and logged as such when applied. */
    private static final int DEFAULT_STAGING_THRESHOLD = 10_000;
    private static final String THRESHOLD_OPTION = "--orderly.projector.staging-threshold=";

    private static final List<String> JVM_FLAGS = List.of("-Xms256m", "-Xmx512m", "-XX:+UseG1GC");

    private static final String COUNT = "{ customers(first: 1) { totalCount } }";
    private static final String CUSTOMER = "query ($id: ID!) { customer(id: $id) { name } }";

    private BigTransaction() {
    }

    public static void main(String[] args) throws Exception {
        List<String> given = List.of(args);
        // Any --orderly.…=… option goes to the application as it is, to compare settings.
        List<String> options = given.stream().filter(OrderlyOptions::isOrderlyOption).toList();
        List<String> counts = given.stream().filter(arg -> !OrderlyOptions.isOrderlyOption(arg)).toList();
        if (counts.size() > 2 || !counts.stream().allMatch(arg -> arg.replace("_", "").matches("[0-9]+"))) {
            throw new IllegalArgumentException("Expected [rows [warm-up rows]] [--orderly.…=… options], not " + given);
        }
        int rows = counts.isEmpty() ? 1_000_000 : Integer.parseInt(counts.get(0).replace("_", ""));
        int warmUpRows = counts.size() < 2 ? DEFAULT_WARM_UP_ROWS : Integer.parseInt(counts.get(1).replace("_", ""));
        int threshold = options.stream().filter(option -> option.startsWith(THRESHOLD_OPTION))
                .map(option -> Integer.parseInt(option.substring(THRESHOLD_OPTION.length()).replace("_", "")))
                .reduce((first, second) -> second).orElse(DEFAULT_STAGING_THRESHOLD);
        if (rows <= threshold || (warmUpRows != 0 && warmUpRows <= threshold)) {
            throw new IllegalArgumentException("Each round needs more rows than the staging threshold (" + threshold
                    + "), so that its statements are staged and their end can be told from the log; got " + rows + " and "
                    + warmUpRows + " (0 skips the warm-up)");
        }
        Path root = Path.of("").toAbsolutePath();
        Path work = root.resolve("bench/target/big-transaction");
        WorkDirectory.deleteRecursively(work);
        int port = AppProcess.freePort();
        int postgresPort = AppProcess.freePort();
        int redisPort = AppProcess.freePort();
        try (AppProcess orderly = AppProcess.start("orderly", JVM_FLAGS,
                List.of("-jar", root.resolve("api/target/orderly-api-0.1.0-SNAPSHOT.jar").toString()),
                OrderlyOptions.withOptions(List.of("--orderly.embedded.data-dir=" + work.resolve("data"), "--server.port=" + port,
                        "--orderly.embedded.postgres-port=" + postgresPort, "--orderly.embedded.redis-port=" + redisPort,
                        "--management.endpoints.web.exposure.include=health,info,metrics"), options),
                work.resolve("orderly.log"), port)) {
            orderly.awaitHttp(Duration.ofMinutes(3));
            String token = GraphQlClient.developmentToken(port, "bench-staff", "STAFF,ADMIN");
            orderly.authorize(token);
            GraphQlClient client = new GraphQlClient(port, token);
            awaitStreaming(client);
            StringBuilder report = new StringBuilder(String.format(Locale.ROOT, """
                    # One large transaction

                    %,d rows in one statement, Orderly at %s%s on its embedded servers, a reader asking for the
                    number of customers all the while (one request at a time). Machine: %d cores seen by the JVM.
                    %s

                    | statement | commit → visible | rows/s | visible → copied into place | heap used, max sampled | reader saw | slowest read | failed reads |
                    |---|---|---|---|---|---|---|---|
                    """, rows, String.join(" ", JVM_FLAGS), options.isEmpty() ? "" : " with " + String.join(" ", options),
                    Runtime.getRuntime().availableProcessors(), warmUpRows == 0 ? "No warm-up round." : String.format(Locale.ROOT,
                            "First a warm-up round of %,d rows, on other rows, the same two statements (marked so).", warmUpRows)));
            try (Connection connection = DriverManager.getConnection("jdbc:postgresql://localhost:" + postgresPort + "/orderly",
                    "postgres", "");
                    MemorySampler memory = new MemorySampler(orderly, orderly.descendant("redis-server"))) {
                Path log = work.resolve("orderly.log");
                if (warmUpRows > 0) {
                    importAndUpdate(connection, client, memory, log, warmUpRows, "warm-up", report);
                }
                importAndUpdate(connection, client, memory, log, rows, "bulk", report);
            }
            report.append("""

                    "Heap used" is the application's heap in use as its actuator reports it, sampled once a second
                    from the statement to visibility: it includes garbage not yet collected, so it shows the bound
                    the heap stayed within, not what the transaction needed. "Reader saw" lists every customer
                    count a reader got meanwhile: one transaction is visible all at once, so only the counts
                    before and after appear. The reader reads from the statement until the projector has copied
                    the transaction into place (its log line "Applied staged transaction"), and the next
                    statement starts only then.
                    """);
            System.out.println(report);
            Files.writeString(root.resolve("bench/target/big-transaction.md"), report);
        }
    }

    /**
     * Inserts {@code rows} customers in one statement, then updates them all in another, each
     * measured; the rows are told apart from those of other rounds by their e-mail domain.
     */
    private static void importAndUpdate(Connection connection, GraphQlClient client, MemorySampler memory, Path log, int rows,
            String round, StringBuilder report) throws Exception {
        String domain = "@" + round + ".example.com";
        String label = round.equals("bulk") ? "" : " (" + round + ")";
        long before = count(client);
        report.append(measure("INSERT … generate_series" + label, rows, client, memory, Applied.next(log), () -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO customers (id, email, name)
                    SELECT gen_random_uuid(), 'bulk-' || i || ?, 'Bulk ' || i
                    FROM generate_series(1, ?) AS i""")) {
                insert.setString(1, domain);
                insert.setInt(2, rows);
                insert.executeUpdate();
            }
        }, () -> count(client) == before + rows));
        String last = lastCustomer(connection, domain);
        report.append(measure("UPDATE of as many rows" + label, rows, client, memory, Applied.next(log), () -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE customers SET name = name || ' (imported)', version = version + 1 WHERE email LIKE ?")) {
                update.setString(1, "%" + domain);
                update.executeUpdate();
            }
        }, () -> client.data(CUSTOMER, Map.of("id", last)).path("customer").path("name").asString().endsWith("(imported)")));
    }

    private interface Statement {
        void run() throws Exception;
    }

    private interface Condition {
        boolean met() throws Exception;
    }

    /** The projector has applied {@code count} staged transactions, copy into place included: so many log lines say so. */
    private record Applied(Path log, long count) implements Condition {

        /** One more staged transaction applied than so far. */
        static Applied next(Path log) throws IOException {
            return new Applied(log, applied(log) + 1);
        }

        @Override
        public boolean met() throws IOException {
            return applied(log) >= count;
        }

        private static long applied(Path log) throws IOException {
            try (Stream<String> lines = Files.lines(log)) {
                return lines.filter(line -> line.contains("Applied staged transaction")).count();
            }
        }
    }

    /**
     * Runs the statement while a reader keeps counting, and waits until {@code visible}, then until
     * the projector has {@code applied} the transaction, the reader counting all the while.
     */
    private static String measure(String what, int rows, GraphQlClient client, MemorySampler memory, Condition applied,
            Statement statement, Condition visible) throws Exception {
        System.out.println("== " + what + ": " + rows + " rows");
        Set<Long> counts = ConcurrentHashMap.newKeySet();
        AtomicLong slowest = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            while (reading.get()) {
                long started = System.nanoTime();
                try {
                    counts.add(count(client));
                }
                catch (Exception e) {
                    failed.incrementAndGet();
                }
                slowest.accumulateAndGet(System.nanoTime() - started, Math::max);
            }
        }, "reader");
        reader.start();
        int samples = memory.heapMiB.size();
        statement.run();
        long committed = System.nanoTime();
        long deadline = committed + Duration.ofMinutes(30).toNanos();
        while (!metOrUnanswered(visible)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " not visible after 30 minutes");
            }
            Thread.sleep(20);
        }
        long seen = System.nanoTime();
        double seconds = (seen - committed) / 1e9;
        while (!applied.met()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " not applied after 30 minutes");
            }
            Thread.sleep(100);
        }
        double copied = (System.nanoTime() - seen) / 1e9;
        reading.set(false);
        reader.join();
        double heap = memory.heapMiB.subList(samples, memory.heapMiB.size()).stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        String line = String.format(Locale.ROOT, "| %s | %.1f s | %,.0f | %.1f s | %.0f MiB | %s | %d ms | %d |%n", what, seconds,
                rows / seconds, copied, heap, counts.stream().sorted().map(Object::toString).toList(), slowest.get() / 1_000_000,
                failed.get());
        System.out.print(line);
        return line;
    }

    /**
     * Whether the condition holds; false while the application does not answer it (a query that
     * timed out while Redis was busy making the transaction visible), which is asked again.
     */
    private static boolean metOrUnanswered(Condition condition) throws Exception {
        try {
            return condition.met();
        }
        catch (IOException e) {
            System.out.println("  (visibility check unanswered: " + e.getMessage() + ")");
            return false;
        }
    }

    private static void awaitStreaming(GraphQlClient client) throws Exception {
        for (int attempt = 0; attempt < 600; attempt++) {
            if (client.data("{ projection { state } }", Map.of()).path("projection").path("state").asString().equals("STREAMING")) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the projector did not start streaming");
    }

    private static long count(GraphQlClient client) throws IOException, InterruptedException {
        return client.data(COUNT, Map.of()).path("customers").path("totalCount").asLong();
    }

    private static String lastCustomer(Connection connection, String domain) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT id FROM customers WHERE email LIKE ? ORDER BY created_at DESC, email DESC LIMIT 1")) {
            query.setString(1, "%" + domain);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getString(1);
            }
        }
    }
}
