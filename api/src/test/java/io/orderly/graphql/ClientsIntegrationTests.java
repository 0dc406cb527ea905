package io.orderly.graphql;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.orderly.IntegrationTest;
import io.orderly.TestIssuer;
import io.orderly.identity.UserRole;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Apollo Client and urql setups of docs/clients.md, run by Node against this application:
 * {@code src/test/clients/clients.test.mjs} with the packages its lock file pins, installed into that
 * folder by {@code npm ci} on first use.
 */
class ClientsIntegrationTests extends IntegrationTest {

    private static final Path CLIENTS = Path.of("src", "test", "clients");

    @Test
    void apolloAndUrqlSetupsWorkEndToEnd() throws Exception {
        Optional<Path> node = onPath("node");
        Optional<Path> npm = onPath("npm");
        assumeTrue(node.isPresent() && npm.isPresent(), "Skipped: node and npm are not on the PATH");

        if (!Files.isDirectory(CLIENTS.resolve("node_modules"))) {
            // The npm cache stays in the folder too: the install writes nowhere else.
            run(List.of(npm.get().toString(), "ci", "--no-audit", "--no-fund", "--prefer-offline"),
                    Map.of("npm_config_cache", CLIENTS.resolve(".npm-cache").toAbsolutePath().toString(),
                            "npm_config_update_notifier", "false"),
                    Path.of("target", "clients-npm-ci.log"), 5);
        }
        run(List.of(node.get().toString(), "--test-reporter=spec", "clients.test.mjs"),
                Map.of("ORDERLY_URL", "http://localhost:" + port + "/graphql",
                        "ORDERLY_STAFF_TOKEN", STAFF_TOKEN,
                        "ORDERLY_CUSTOMER_TOKEN", TestIssuer.token(TestIssuer.newSubject(), UserRole.CUSTOMER)),
                Path.of("target", "clients-test.log"), 2);
    }

    /** Runs a command in the clients folder, its output to a log, and fails with that output unless it exits 0 in time. */
    private static void run(List<String> command, Map<String, String> environment, Path log, int minutes)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(CLIENTS.toFile())
                .redirectErrorStream(true).redirectOutput(log.toAbsolutePath().toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        boolean exited = process.waitFor(minutes, TimeUnit.MINUTES);
        if (!exited) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        assertThat(exited).as("%s still running after %d minutes:%n%s", command, minutes, output).isTrue();
        assertThat(process.exitValue()).as("%s exited with an error:%n%s", command, output).isZero();
    }

    private static Optional<Path> onPath(String executable) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(folder -> Path.of(folder, executable))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
