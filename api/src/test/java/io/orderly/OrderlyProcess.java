package io.orderly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The application in a process of its own, started from the test classpath with the given
 * arguments, so that a test can kill it abruptly (SIGKILL) as a crash would.
 */
public final class OrderlyProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private OrderlyProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static OrderlyProcess start(String name, List<String> arguments) {
        try {
            Path log = Files.createDirectories(Path.of("target", "it-processes")).resolve(name + "-" + System.nanoTime() + ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m",
                    "-cp", System.getProperty("java.class.path"),
                    Orderly.class.getName()));
            command.addAll(arguments);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            OrderlyProcess started = new OrderlyProcess(process, log);
            await().atMost(Duration.ofSeconds(90)).until(() -> started.output().contains("Started Orderly") || !process.isAlive());
            if (!process.isAlive()) {
                throw new IllegalStateException("Orderly process " + name + " exited; see " + log.toAbsolutePath());
            }
            return started;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Kills the process at once, without shutdown hooks: a crash. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String output() {
        try {
            return Files.readString(log);
        }
        catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    kill();
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
