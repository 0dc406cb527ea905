package io.orderly.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's markdown report, which each step appends its section to, and the headline table
 * of the main figures that goes in front of the sections once every step has run.
 */
final class Report {

    private final StringBuilder text = new StringBuilder();
    private final Map<String, String> headline = new LinkedHashMap<>();

    /** Announces a step on the console (the report itself is printed at the end). */
    static void step(String text) {
        System.out.println("== " + text);
    }

    Report append(String markdown) {
        text.append(markdown);
        return this;
    }

    /** A row of the headline table, in the order of the steps. */
    void headline(String measure, String result) {
        headline.put(measure, result);
    }

    /** The title and what the run ran on: machine, Java, JVM flags, data set, options of the measured Orderly. */
    void header(Settings settings, List<String> orderlyOptions) throws IOException {
        String memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .map(l -> String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
                .findFirst().orElse("?");
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
        text.append(String.format(Locale.ROOT, """
                # Orderly benchmark report (%s run)

                - Date: %s
                - Machine: %d cores (%s), %s memory, %s %s
                - Java: %s (%s)
                - JVM flags of Orderly and of the baseline: `%s`
                - Data set: %,d customers, %,d products, %,d orders with 1–5 lines
                """, settings.name(), LocalDate.now(), Runtime.getRuntime().availableProcessors(), cpu, memory,
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), String.join(" ", AppProcess.JVM_FLAGS),
                settings.customers(), settings.products(), settings.orders()));
        if (!orderlyOptions.isEmpty()) {
            text.append("- Options of the measured Orderly: `").append(String.join(" ", orderlyOptions)).append("`\n");
        }
    }

    /** A row of the read path's table: the runs of one query on one server. */
    void row(String label, String server, List<RunResult> runs) {
        text.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", label, server, throughputAndLatencies(runs)));
    }

    /** A row of the write path's table, and one more with the failed requests if there were any. */
    void writeRow(String label, List<RunResult> runs) {
        text.append(String.format(Locale.ROOT, "| %s | %s |%n", label, throughputAndLatencies(runs)));
        long errors = runs.stream().mapToLong(RunResult::errors).sum();
        if (errors > 0) {
            text.append(String.format(Locale.ROOT, "| (%s: failed requests %d) | | | |%n", label, errors));
        }
    }

    /** Requests/s, p50 and p99 of the runs, each as "median (min–max)", separated as table cells. */
    private static String throughputAndLatencies(List<RunResult> runs) {
        return Stats.of(runs.stream().map(RunResult::perSecond).toList()).format(0) + " | "
                + Stats.of(runs.stream().map(RunResult::p50).toList()).format(2) + " | "
                + Stats.of(runs.stream().map(RunResult::p99).toList()).format(2);
    }

    /** Puts the headline table in front of the first section, adds how long the run took, writes the report to {@code out} and prints it. */
    void finish(Instant began, Path out) throws IOException {
        headlineTable();
        text.append(String.format(Locale.ROOT, "%nThe whole run took %.1f minutes.%n",
                Duration.between(began, Instant.now()).toSeconds() / 60.0));
        Files.writeString(out, text.toString());
        System.out.println();
        System.out.println(text);
        System.out.println("Report written to " + out);
    }

    private void headlineTable() {
        StringBuilder table = new StringBuilder("\n## Headline\n\n| Measure | Result |\n|---|---|\n");
        headline.forEach((measure, result) -> table.append("| ").append(measure).append(" | ").append(result).append(" |\n"));
        int at = text.indexOf("\n## ");
        text.insert(at < 0 ? text.length() : at, table);
    }
}
