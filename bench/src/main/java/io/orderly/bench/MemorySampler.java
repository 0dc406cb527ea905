package io.orderly.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Samples, once a second while a load runs, an application's heap in use (its actuator metric
 * {@code jvm.memory.used}, area heap) and the resident set size of its JVM and, optionally, of
 * another process (the embedded Redis holding the read models).
 */
final class MemorySampler implements AutoCloseable {

    final List<Double> heapMiB = new CopyOnWriteArrayList<>();
    final List<Double> rssMiB = new CopyOnWriteArrayList<>();
    final List<Double> otherRssMiB = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    MemorySampler(AppProcess app, long otherPid) {
        HttpClient http = HttpClient.newHttpClient();
        URI metric = URI.create("http://localhost:" + app.port() + "/actuator/metrics/jvm.memory.used?tag=area:heap");
        thread = new Thread(() -> {
            while (running) {
                try {
                    HttpRequest.Builder request = HttpRequest.newBuilder(metric).timeout(Duration.ofSeconds(2));
                    if (!app.authorization().isEmpty()) {
                        request.header("Authorization", app.authorization());
                    }
                    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        double bytes = GraphQlClient.JSON.readTree(response.body()).path("measurements").path(0).path("value").asDouble();
                        heapMiB.add(bytes / (1024 * 1024));
                    }
                    rssMiB.add(app.rssMiB());
                    if (otherPid > 0) {
                        otherRssMiB.add(AppProcess.rssMiB(otherPid));
                    }
                    Thread.sleep(1000);
                }
                catch (InterruptedException e) {
                    return;
                }
                catch (Exception e) {
                    // a missed sample
                }
            }
        }, "memory-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}
