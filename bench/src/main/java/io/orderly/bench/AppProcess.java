package io.orderly.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** An application the benchmark started as a child process (Orderly or the baseline), logging to a file. */
final class AppProcess implements AutoCloseable {

    /** The JVM flags of Orderly and of the baseline in the full run and the rebuild: the same for both. */
    static final List<String> JVM_FLAGS = List.of("-Xms512m", "-Xmx1g", "-XX:+UseG1GC");

    private final String name;
    private final Process process;
    private final Path log;
    private final int port;
    private volatile String authorization = "";

    /** Sends this bearer token to the process's actuator from now on (Orderly's needs an ADMIN token). */
    void authorize(String token) {
        this.authorization = "Bearer " + token;
    }

    /** The Authorization header value for this process's actuator, empty when it needs none. */
    String authorization() {
        return authorization;
    }

    private AppProcess(String name, Process process, Path log, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static AppProcess start(String name, List<String> jvmFlags, List<String> launch, List<String> args, Path log,
            int port) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(launch);
        command.addAll(args);
        return start(name, command, Map.of(), log, port);
    }

    /** Any server process: this command line, with these environment variables added. */
    static AppProcess start(String name, List<String> command, Map<String, String> environment, Path log, int port)
            throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        AppProcess app = new AppProcess(name, process, log, port);
        Runtime.getRuntime().addShutdownHook(new Thread(app::kill));
        System.out.printf("  started %s (pid %d, port %d, log %s)%n", name, process.pid(), port, log);
        return app;
    }

    /** A port nothing listens on now, for a process about to start. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    Path log() {
        return log;
    }

    /** Waits until the application answers HTTP (its schema is migrated and its servers are up by then). */
    void awaitHttp(Duration timeout) throws IOException, InterruptedException {
        awaitAnswer(timeout, HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).GET());
    }

    /** Waits until a GraphQL server without an actuator answers a trivial query. */
    void awaitGraphQl(Duration timeout) throws IOException, InterruptedException {
        awaitAnswer(timeout, HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/graphql"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ __typename }\"}")));
    }

    private void awaitAnswer(Duration timeout, HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            }
            catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " did not answer within " + timeout + "; see " + log);
    }

    /** Resident set size of the process, in MiB, from /proc (Linux). */
    double rssMiB() {
        return rssMiB(process.pid());
    }

    static double rssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        }
        catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** The pid of a child process whose command line contains {@code text} (the embedded redis-server, say). */
    long descendant(String text) {
        return process.descendants()
                .filter(child -> child.info().commandLine().orElse("").contains(text))
                .mapToLong(ProcessHandle::pid)
                .findFirst()
                .orElse(-1);
    }

    /** Stops gracefully (SIGTERM: Spring stops the embedded servers), forcibly after a minute. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        // Taken now: once the application has exited, its children are no longer its descendants.
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
        // The application stops its embedded servers; one that outlived it must not hold on to the data directory.
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroy();
                child.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(timeout -> {
                    child.destroyForcibly();
                    return child;
                }).join();
            }
        }
        System.out.printf("  stopped %s%n", name);
    }

    private void kill() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
