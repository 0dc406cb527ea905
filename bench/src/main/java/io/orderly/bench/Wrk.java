package io.orderly.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The read path's load from wrk, where it is installed: a C load generator that costs the shared
 * machine much less CPU per request than the JVM's HTTP client, so more of the two cores go to the
 * server measured. It sends the same bodies and headers the Java driver does, closed loop, and
 * counts an answer with GraphQL {@code errors} or a status other than 200 as a failure.
 */
final class Wrk {

    private static final Pattern REQUESTS_PER_SECOND = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|99)(?:\\.000)?%\\s+([\\d.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
    private static final Pattern MAX = Pattern.compile("Latency\\s+\\S+\\s+\\S+\\s+([\\d.]+)(us|ms|s)");
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");
    private static final Pattern FAILED = Pattern.compile("failed: (\\d+)");

    private static final String SCRIPT = """
            local threads = {}
            function setup(thread) table.insert(threads, thread) end
            function init(args) failed = 0 end
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            wrk.headers["Accept"] = "application/json"
            %s
            local bodies = {
            %s
            }
            function request() return wrk.format(nil, nil, nil, bodies[math.random(#bodies)]) end
            function response(status, headers, body)
              if status ~= 200 or string.find(body, '"errors"', 1, true) then failed = failed + 1 end
            end
            function done(summary, latency, requests)
              local total = 0
              for _, thread in ipairs(threads) do total = total + thread:get("failed") end
              io.write("failed: " .. total .. "\\n")
            end
            """;

    private Wrk() {
    }

    static boolean installed() {
        try {
            Process process = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (IOException e) {
            return false;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One run against a server's {@code /graphql}: {@code bodies} are sent in random order. */
    static RunResult run(GraphQlClient client, List<String> bodies, int connections, Duration duration, Path work)
            throws IOException, InterruptedException {
        Path script = Files.createTempFile(work, "wrk-", ".lua");
        List<String> entries = new ArrayList<>();
        for (String body : bodies) {
            entries.add("[==[" + body + "]==],");
        }
        String authorization = client.authorization().isEmpty() ? ""
                : "wrk.headers[\"Authorization\"] = \"" + client.authorization() + "\"";
        Files.writeString(script, SCRIPT.formatted(authorization, String.join("\n", entries)));
        Process process = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + duration.toSeconds() + "s",
                "--timeout", "30s", "--latency", "-s", script.toString(), "http://127.0.0.1:" + client.port() + "/graphql")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("wrk failed: " + output);
        }
        Files.delete(script);
        double p50 = 0;
        double p99 = 0;
        Matcher percentile = PERCENTILE.matcher(output);
        while (percentile.find()) {
            double millis = millis(percentile.group(2), percentile.group(3));
            if (percentile.group(1).equals("50")) {
                p50 = millis;
            }
            else {
                p99 = millis;
            }
        }
        Matcher max = MAX.matcher(output);
        return new RunResult(number(REQUESTS_PER_SECOND, output), p50, p99,
                max.find() ? millis(max.group(1), max.group(2)) : 0, (long) number(TOTAL, output), (long) number(FAILED, output));
    }

    private static double number(Pattern pattern, String output) throws IOException {
        Matcher matcher = pattern.matcher(output);
        if (!matcher.find()) {
            throw new IOException("unexpected wrk output (no " + pattern + "): " + output);
        }
        return Double.parseDouble(matcher.group(1));
    }

    private static double millis(String value, String unit) {
        double number = Double.parseDouble(value);
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "us" -> number / 1000;
            case "s" -> number * 1000;
            default -> number;
        };
    }
}
