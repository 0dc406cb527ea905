package io.orderly.bench;

import java.time.Duration;
import java.util.List;

/**
 * The size of the data set and of every measurement: the full run, or a quick one to try the harness.
 * The full data set is a quarter of the (10k customers, 2k products, 200k orders): the
 * projector rebuilds at about a thousand rows a second on the reference machine, so the issue's
 * 800k rows would take the rebuild alone past the 20 minutes a full run may last.
 */
record Settings(
        String name,
        int customers,
        int products,
        int orders,
        int readConcurrency,
        Duration readWarmup,
        int readRuns,
        Duration readRun,
        List<Integer> writeRates,
        int freshnessRuns,
        Duration freshnessRun,
        int writeConcurrency,
        int writeRuns,
        Duration writeRun,
        Duration profile) {

    static Settings full() {
        return new Settings("full", 4_000, 1_000, 50_000, 8, Duration.ofSeconds(15), 5, Duration.ofSeconds(10),
                List.of(50, 100, 300, 600, 1000), 3, Duration.ofSeconds(10), 8, 5, Duration.ofSeconds(5),
                Duration.ofSeconds(10));
    }

    static Settings quick() {
        return new Settings("quick", 1_000, 200, 10_000, 8, Duration.ofSeconds(5), 3, Duration.ofSeconds(4),
                List.of(50, 100, 300), 2, Duration.ofSeconds(5), 8, 3, Duration.ofSeconds(4), Duration.ofSeconds(5));
    }
}
