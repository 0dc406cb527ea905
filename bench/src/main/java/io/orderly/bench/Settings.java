package io.orderly.bench;

import java.time.Duration;
import java.util.List;

/**
 * The size of the data set and of every measurement: the full run, at the reference size (10k
 * customers, 2k products, 200k orders of 1 to 5 lines, about 800k rows), or a quick one to try the
 * harness.
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
        return new Settings("full", 10_000, 2_000, 200_000, 8, Duration.ofSeconds(15), 5, Duration.ofSeconds(10),
                List.of(50, 100, 200, 300, 600, 1000), 3, Duration.ofSeconds(10), 8, 5, Duration.ofSeconds(5),
                Duration.ofSeconds(10));
    }

    static Settings quick() {
        // The read path's shortest warm-up as long as the full run's; it goes on until the throughput
        // settles (SteadyState), since a JVM's JIT is still compiling the read path long after 5 s.
        return new Settings("quick", 1_000, 200, 10_000, 8, Duration.ofSeconds(15), 3, Duration.ofSeconds(4),
                List.of(50, 100, 200, 300), 2, Duration.ofSeconds(5), 8, 3, Duration.ofSeconds(4), Duration.ofSeconds(5));
    }
}
