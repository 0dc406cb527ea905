package io.orderly.bench;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rebuild of the read models from a snapshot, as Orderly starts with every role on an empty
 * Redis: the rows per second from the log line announcing the rebuild to the one saying the
 * snapshot is complete.
 */
record RebuildStep(Report report) {

    /** What the projector logs when a snapshot is complete ("Snapshot on slot '…' complete at position …"). */
    static final String SNAPSHOT_COMPLETE = "complete at position";

    void run(AppProcess orderly, GraphQlClient client, long rows) throws Exception {
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
        report.headline("Rebuild from a snapshot", String.format(Locale.ROOT, "%,.0f rows/s (%,d rows in %.0f s)", rate, rows, seconds));
    }

    /** When the application logged the first line with this text. */
    static Instant logTime(List<String> lines, String text) {
        String line = lines.stream().filter(l -> l.contains(text)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no log line with: " + text));
        return OffsetDateTime.parse(line.substring(0, line.indexOf(' '))).toInstant();
    }
}
