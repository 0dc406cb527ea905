package io.orderly.runtime;

import java.nio.file.Path;

/**
 * Runs an {@link EmbeddedPostgresServer} in a process of its own, for a test to kill: starts it,
 * says "started" and waits.
 */
public final class EmbeddedPostgresProcess {

    private EmbeddedPostgresProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        new EmbeddedPostgresServer(Path.of(args[0]), Integer.parseInt(args[1])).start();
        System.out.println("started");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
