package io.orderly.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time (user and system, from {@code /proc/<pid>/stat}, Linux) of an application and of its
 * embedded Redis and PostgreSQL, from now on. PostgreSQL's share counts its live processes and
 * what its postmaster collected from those that ended.
 */
final class CpuTime {

    /** Clock ticks per second of {@code /proc/<pid>/stat} on Linux. */
    private static final double TICKS = 100.0;

    private final AppProcess app;
    private final String postgresDataDir;
    private final Map<String, Double> start;

    private CpuTime(AppProcess app, Path postgresDataDir) {
        this.app = app;
        this.postgresDataDir = postgresDataDir.toString();
        this.start = now();
    }

    /** @param postgresDataDir the embedded PostgreSQL's data directory, which names its postmaster */
    static CpuTime of(AppProcess app, Path postgresDataDir) {
        return new CpuTime(app, postgresDataDir);
    }

    /** Seconds of CPU each process spent since {@link #of}. */
    Map<String, Double> spentSince() {
        Map<String, Double> spent = new LinkedHashMap<>();
        now().forEach((name, seconds) -> spent.put(name, Math.round((seconds - start.getOrDefault(name, 0.0)) * 10) / 10.0));
        return spent;
    }

    private Map<String, Double> now() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        seconds.put("application", ticks(app.pid(), false) / TICKS);
        seconds.put("redis", ticks(app.descendant("redis-server"), false) / TICKS);
        // The postmaster runs detached from the application: found by its data directory.
        double postgres = ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().orElse("").contains("-D " + postgresDataDir + " "))
                .flatMap(postmaster -> Stream.concat(Stream.of(postmaster), postmaster.descendants()))
                .mapToDouble(process -> ticks(process.pid(), true))
                .sum();
        seconds.put("postgres", postgres / TICKS);
        return seconds;
    }

    /** utime + stime, and with {@code children} also the ended children's (cutime + cstime). */
    private static long ticks(long pid, boolean children) {
        if (pid < 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // Fields after the command: state is 3, utime 14, stime 15, cutime 16, cstime 17 (1-based in proc(5)).
            long own = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return children ? own + Long.parseLong(fields[13]) + Long.parseLong(fields[14]) : own;
        }
        catch (IOException | RuntimeException gone) {
            return 0;
        }
    }
}
