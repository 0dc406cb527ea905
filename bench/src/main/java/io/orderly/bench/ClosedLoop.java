package io.orderly.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.HdrHistogram.Histogram;

/**
 * A fixed number of workers, each sending its next request as soon as the previous one is answered,
 * for a fixed time; every request's latency is recorded.
 */
final class ClosedLoop {

    /** One request; returns false when the answer was wrong (counted as an error, not timed). */
    @FunctionalInterface
    interface Operation {
        boolean call(int worker) throws Exception;
    }

    private ClosedLoop() {
    }

    /** GraphQL requests, each with the body its worker's number gives; an answer with {@code errors} is a failure. */
    static RunResult queries(GraphQlClient client, Function<Integer, String> body, Duration duration, int concurrency)
            throws InterruptedException {
        return run(concurrency, duration, worker -> !client.post(body.apply(worker)).contains("\"errors\""));
    }

    static RunResult run(int concurrency, Duration duration, Operation operation) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        List<Histogram> histograms = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            Histogram histogram = new Histogram(60_000_000L, 3);
            histograms.add(histogram);
            int worker = i;
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    boolean ok;
                    try {
                        ok = operation.call(worker);
                    }
                    catch (Exception e) {
                        ok = false;
                    }
                    long micros = (System.nanoTime() - t0) / 1000;
                    if (ok) {
                        histogram.recordValue(Math.min(micros, 60_000_000L));
                    }
                    else if (errors.incrementAndGet() <= 3) {
                        System.err.println("  request failed in worker " + worker);
                    }
                }
            }, "load-" + i);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join(duration.toMillis() + 120_000);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Histogram total = new Histogram(60_000_000L, 3);
        histograms.forEach(total::add);
        return RunResult.of(total, seconds, errors.get());
    }
}
