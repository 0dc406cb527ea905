package io.orderly.bench;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;

/**
 * placeOrder at a steady rate (open loop: requests leave on schedule whatever the answers), and for
 * each write how long after its commit it is visible in the read model and reaches a subscriber.
 *
 * <p>"Commit" is the moment the mutation's response is received (the command commits, then reads
 * the WAL position, then answers). "Visible" is the moment a query {@code @consistentWith} the
 * write's token answers with the order: the server holds that query until the projector has
 * applied the transaction, so this is the first moment a reader can see it, plus one round trip.
 * "Received" is the moment the {@code changes(types: [ORDER])} subscriber gets the CREATED event.
 */
final class Freshness {

    static final String VISIBLE = """
            query Visible($token: String!, $id: ID!) @consistentWith(token: $token) { order(id: $id) { id } }""";

    /** At most this many writes waiting for an answer (and their visibility check) at once. */
    private static final int MAX_IN_FLIGHT = 256;

    record Result(int targetRate, double achievedRate, long written, long dropped, long failed, double writeP50,
            Histogram visible, Histogram received, long missingEvents, double earlyP50, double lateP50) {

        /** Lag grows without bound: writes cannot keep the rate, or visibility keeps falling behind during the run. */
        boolean unbounded() {
            return dropped > written / 100 || achievedRate < 0.9 * targetRate || (lateP50 > 3 * earlyP50 && lateP50 > 50);
        }
    }

    private final GraphQlClient client;
    private final Workload workload;
    private final Map<String, long[]> pending = new ConcurrentHashMap<>();
    private volatile ConcurrentHistogram received = new ConcurrentHistogram(60_000_000L, 3);

    Freshness(GraphQlClient client, Workload workload) {
        this.client = client;
        this.workload = workload;
    }

    /** Called by the subscriber: the CREATED event of order {@code id} arrived at {@code nanos}. */
    void eventArrived(String id, long nanos) {
        match(id, 1, nanos);
    }

    private void match(String id, int slot, long nanos) {
        pending.compute(id, (key, times) -> {
            long[] both = times == null ? new long[2] : times;
            both[slot] = nanos;
            if (both[0] != 0 && both[1] != 0) {
                received.recordValue(Math.min(Math.max(0, (both[1] - both[0]) / 1000), 60_000_000L));
                return null;
            }
            return both;
        });
    }

    Result run(int rate, Duration duration, int sampleEvery) throws InterruptedException {
        pending.clear();
        received = new ConcurrentHistogram(60_000_000L, 3);
        ConcurrentHistogram visible = new ConcurrentHistogram(60_000_000L, 3);
        ConcurrentHistogram writes = new ConcurrentHistogram(60_000_000L, 3);
        ConcurrentLinkedQueue<long[]> timeline = new ConcurrentLinkedQueue<>();
        AtomicLong written = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong lastAnswer = new AtomicLong();
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        long dropped = 0;
        long total = rate * duration.toSeconds();
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!inFlight.tryAcquire()) {
                dropped++;
                continue;
            }
            boolean sampled = i % sampleEvery == 0;
            long sent = System.nanoTime();
            client.postAsync(GraphQlClient.body(Workload.PLACE_ORDER, workload.nextOrder().input()))
                    .whenComplete((response, error) -> {
                        long answered = System.nanoTime();
                        JsonNode payload = payloadOf(response, error);
                        if (payload == null) {
                            failed.incrementAndGet();
                            inFlight.release();
                            return;
                        }
                        written.incrementAndGet();
                        lastAnswer.accumulateAndGet(answered, Math::max);
                        writes.recordValue(Math.min((answered - sent) / 1000, 60_000_000L));
                        String id = payload.path("orderId").asString();
                        match(id, 0, answered);
                        if (!sampled) {
                            inFlight.release();
                            return;
                        }
                        client.postAsync(GraphQlClient.body(VISIBLE, Map.of("token", payload.path("consistencyToken").asString(), "id", id)))
                                .whenComplete((check, checkError) -> {
                                    long seen = System.nanoTime();
                                    if (checkError == null && check.statusCode() == 200 && check.body().contains(id)) {
                                        long micros = Math.min((seen - answered) / 1000, 60_000_000L);
                                        visible.recordValue(micros);
                                        timeline.add(new long[] {sent - start, micros});
                                    }
                                    else {
                                        failed.incrementAndGet();
                                    }
                                    inFlight.release();
                                });
                    });
        }
        if (!inFlight.tryAcquire(MAX_IN_FLIGHT, 60, TimeUnit.SECONDS)) {
            System.err.println("  some writes were still unanswered after 60 s");
        }
        else {
            inFlight.release(MAX_IN_FLIGHT);
        }
        long eventsDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.getTotalCount() < written.get() && System.nanoTime() < eventsDeadline) {
            Thread.sleep(50);
        }
        double seconds = (Math.max(lastAnswer.get(), start + duration.toNanos()) - start) / 1e9;
        long nominal = duration.toNanos();
        return new Result(rate, written.get() / seconds, written.get(), dropped, failed.get(),
                writes.getValueAtPercentile(50) / 1000.0, visible.copy(), received.copy(),
                written.get() - received.getTotalCount(),
                p50Between(timeline, 0, nominal / 4), p50Between(timeline, nominal * 3 / 4, nominal));
    }

    private static JsonNode payloadOf(HttpResponse<String> response, Throwable error) {
        if (error != null || response.statusCode() != 200) {
            return null;
        }
        JsonNode payload = GraphQlClient.JSON.readTree(response.body()).path("data").path("placeOrder");
        if (payload.isMissingNode() || payload.path("orderId").isNull() || !payload.path("errors").isEmpty()) {
            return null;
        }
        return payload;
    }

    /** Median visibility delay, in ms, of the writes sent within [from, to) nanoseconds of the run's start. */
    private static double p50Between(ConcurrentLinkedQueue<long[]> timeline, long from, long to) {
        List<Double> values = new ArrayList<>();
        for (long[] entry : timeline) {
            if (entry[0] >= from && entry[0] < to) {
                values.add(entry[1] / 1000.0);
            }
        }
        return Stats.of(values).median();
    }
}
