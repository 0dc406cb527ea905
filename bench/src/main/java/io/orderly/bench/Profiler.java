package io.orderly.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.jspecify.annotations.Nullable;

/** Records a JFR profile of a running application with jcmd, and summarizes its CPU samples. */
final class Profiler {

    private static final Map<String, List<String>> AREAS = new LinkedHashMap<>();

    static {
        AREAS.put("Tomcat, servlet, Spring MVC", List.of("org.apache.catalina", "org.apache.coyote", "org.apache.tomcat", "org.springframework.web"));
        AREAS.put("Spring for GraphQL", List.of("org.springframework.graphql"));
        AREAS.put("graphql-java engine", List.of("graphql."));
        AREAS.put("Jackson (JSON)", List.of("tools.jackson", "com.fasterxml.jackson"));
        AREAS.put("Reactor", List.of("reactor."));
        AREAS.put("Lettuce, Netty (Redis client)", List.of("io.lettuce", "io.netty"));
        AREAS.put("PostgreSQL JDBC driver", List.of("org.postgresql"));
        AREAS.put("HikariCP", List.of("com.zaxxer"));
        AREAS.put("Debezium, Kafka Connect", List.of("io.debezium", "org.apache.kafka"));
        AREAS.put("io.orderly code (Orderly's, or the baseline's resolvers)", List.of("io.orderly"));
    }

    /** The load run while recording. */
    @FunctionalInterface
    interface Load {
        RunResult run() throws Exception;
    }

    private Profiler() {
    }

    /**
     * Records the application while the load runs ({@code name.jfr} in {@code work}): a section of the
     * report, titled with the throughput while recording, then the summary.
     */
    static String profile(AppProcess app, String name, String title, Path work, Load load) throws Exception {
        start(app.pid(), name);
        RunResult result = load.run();
        Path file = stop(app.pid(), name, work.resolve(name + ".jfr"));
        return String.format(Locale.ROOT, "%n### %s (%.0f requests/s while recording)%n%n%s", title, result.perSecond(),
                summarize(file, 12));
    }

    static void start(long pid, String name) throws IOException, InterruptedException {
        jcmd(pid, "JFR.start", "name=" + name, "settings=profile");
    }

    static Path stop(long pid, String name, Path file) throws IOException, InterruptedException {
        jcmd(pid, "JFR.dump", "name=" + name, "filename=" + file.toAbsolutePath());
        jcmd(pid, "JFR.stop", "name=" + name);
        return file;
    }

    private static void jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> line = new java.util.ArrayList<>();
        line.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        line.add(Long.toString(pid));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", command) + " failed: " + output);
        }
    }

    /** Markdown: where the CPU samples were (inclusive, by library), and the top methods (self). */
    static String summarize(Path file, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> areas = new HashMap<>();
        Map<String, Integer> orderly = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        double jvmLoad = 0;
        int loadEvents = 0;
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (event.getEventType().getName().equals("jdk.CPULoad")) {
                jvmLoad += event.getFloat("jvmUser") + event.getFloat("jvmSystem");
                loadEvents++;
                continue;
            }
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            samples++;
            self.merge(method(frames.get(0)), 1, Integer::sum);
            threads.merge(pool(event.getThread("sampledThread")), 1, Integer::sum);
            Set<String> seenAreas = new HashSet<>();
            Set<String> seenMethods = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String type = frame.getMethod().getType().getName();
                AREAS.forEach((area, prefixes) -> {
                    if (prefixes.stream().anyMatch(type::startsWith)) {
                        seenAreas.add(area);
                    }
                });
                if (type.startsWith("io.orderly")) {
                    seenMethods.add(method(frame));
                }
            }
            seenAreas.forEach(area -> areas.merge(area, 1, Integer::sum));
            seenMethods.forEach(m -> orderly.merge(m, 1, Integer::sum));
        }
        StringBuilder out = new StringBuilder();
        int total = Math.max(samples, 1);
        out.append(String.format(Locale.ROOT, "%d CPU samples.%n%nInclusive share by library (a sample counts for every library on its stack):%n%n", samples));
        areas.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> out.append(String.format(Locale.ROOT, "- %s: %.1f%%%n", e.getKey(), 100.0 * e.getValue() / total)));
        out.append(String.format(Locale.ROOT, "%nTop methods by self time:%n%n"));
        self.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> out.append(String.format(Locale.ROOT, "- %.1f%% `%s`%n", 100.0 * e.getValue() / total, e.getKey())));
        if (loadEvents > 0) {
            // jdk.CPULoad is a share of the whole machine: times the cores, it is cores in use.
            double cores = jvmLoad / loadEvents * Runtime.getRuntime().availableProcessors();
            out.append(String.format(Locale.ROOT, "%nThe JVM used %.2f of %d cores (mean of %d one-second samples); CPU samples by thread,"
                    + " with that share of the JVM's cores:%n%n", cores, Runtime.getRuntime().availableProcessors(), loadEvents));
            threads.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(6)
                    .forEach(e -> out.append(String.format(Locale.ROOT, "- %.1f%% (%.2f core) `%s`%n", 100.0 * e.getValue() / total,
                            cores * e.getValue() / total, e.getKey())));
        }
        if (!orderly.isEmpty()) {
            out.append(String.format(Locale.ROOT, "%nOrderly methods by inclusive time:%n%n"));
            orderly.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                    .forEach(e -> out.append(String.format(Locale.ROOT, "- %.1f%% `%s`%n", 100.0 * e.getValue() / total, e.getKey())));
        }
        return out.toString();
    }

    /** The thread's name with its number in its pool left out: {@code http-nio-8080-exec-*}. */
    private static String pool(@Nullable RecordedThread thread) {
        String name = thread == null || thread.getJavaName() == null ? "(native)" : thread.getJavaName();
        return name.replaceFirst("-\\d+$", "-*");
    }

    private static String method(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
    }
}
