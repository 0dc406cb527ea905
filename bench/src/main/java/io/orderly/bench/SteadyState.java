package io.orderly.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Warms a server up with the load it is about to be measured under, window after window, until its
 * throughput settles: two windows in a row each within {@value #SETTLED_PERCENT} % of the one
 * before (a fall, from another process taking the cores, does not count as settled), after at
 * least a minimum and at most {@link #LIMIT}. A JVM's JIT goes on compiling for tens of seconds
 * under load on two shared cores (a fresh Orderly served {@code order(id)} at a third to a half
 * of its settled rate in its first 15 s), while Node settles within seconds: a fixed warm-up
 * compared a settled peer with one still compiling.
 */
final class SteadyState {

    static final Duration WINDOW = Duration.ofSeconds(5);

    static final int SETTLED_PERCENT = 5;

    /** The longest warm-up: a server still gaining after it is measured as it is, and the report says so. */
    static final Duration LIMIT = Duration.ofSeconds(120);

    /** One window of load; its requests per second. */
    interface Window {
        RunResult run(Duration duration) throws Exception;
    }

    /** The throughput of each window of a warm-up, and whether it settled before the limit. */
    record WarmUp(List<Double> perSecond, boolean settled) {

        long seconds() {
            return perSecond.size() * WINDOW.toSeconds();
        }

        String format() {
            return perSecond.stream().map(rate -> String.format(Locale.ROOT, "%.0f", rate)).collect(Collectors.joining(", "));
        }

        /** What follows the rates: nothing, or " (not settled)". */
        String settledOrNot() {
            return settled ? "" : " (not settled)";
        }
    }

    private SteadyState() {
    }

    static WarmUp warmUp(Window window, Duration minimum) throws Exception {
        List<Double> rates = new ArrayList<>();
        while (rates.size() * WINDOW.toSeconds() < LIMIT.toSeconds()) {
            rates.add(window.run(WINDOW).perSecond());
            if (rates.size() * WINDOW.toSeconds() >= minimum.toSeconds() && settled(rates)) {
                return new WarmUp(rates, true);
            }
        }
        return new WarmUp(rates, false);
    }

    /** Whether each of the last two windows is within the settled share of the one before it. */
    static boolean settled(List<Double> rates) {
        int last = rates.size() - 1;
        return last >= 2 && near(rates.get(last - 2), rates.get(last - 1)) && near(rates.get(last - 1), rates.get(last));
    }

    private static boolean near(double before, double after) {
        return Math.abs(after - before) < before * SETTLED_PERCENT / 100.0;
    }
}
