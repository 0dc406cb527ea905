package io.orderly.bench;

import org.HdrHistogram.Histogram;

/** One measured run of a closed-loop load: throughput and latency percentiles in milliseconds. */
record RunResult(double perSecond, double p50, double p99, double max, long count, long errors) {

    static RunResult of(Histogram micros, double seconds, long errors) {
        return new RunResult(micros.getTotalCount() / seconds,
                micros.getValueAtPercentile(50) / 1000.0,
                micros.getValueAtPercentile(99) / 1000.0,
                micros.getMaxValue() / 1000.0,
                micros.getTotalCount(), errors);
    }
}
