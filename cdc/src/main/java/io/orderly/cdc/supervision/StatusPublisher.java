package io.orderly.cdc.supervision;

import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.api.StatefulRedisConnection;
import io.orderly.cdc.readmodel.ProjectorStatus;
import io.orderly.cdc.readmodel.ProjectorStatus.State;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.cdc.readmodel.SnapshotProgress;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the projector's status and the progress of a snapshot in the served Redis database,
 * where every process reads them. Each is one HSET, so the supervisor and the engine threads may
 * all write without a transaction; each waits a second at most, as Redis may be going away
 * together with this process.
 */
final class StatusPublisher {

    private static final Logger log = LoggerFactory.getLogger(StatusPublisher.class);

    private final StatefulRedisConnection<String, String> connection;
    private final Clock clock;

    StatusPublisher(StatefulRedisConnection<String, String> connection, Clock clock) {
        this.connection = connection;
        this.clock = clock;
    }

    /** @return whether Redis took the status */
    boolean status(State state, @Nullable String detail) {
        if (!connection.isOpen()) {
            return false;
        }
        try {
            connection.async().hset(ReadModelKeys.PROJECTOR_STATUS, new ProjectorStatus(state, clock.instant(), detail).toHash())
                    .get(1, TimeUnit.SECONDS);
            return true;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException e) {
            log.warn("Cannot write the projector status: {}", e.getMessage());
        }
        return false;
    }

    void snapshotProgress(SnapshotProgress progress) {
        if (!connection.isOpen()) {
            return;
        }
        try {
            connection.async().hset(ReadModelKeys.SNAPSHOT_PROGRESS, progress.toHash()).get(1, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException e) {
            log.warn("Cannot write the snapshot progress: {}", e.getMessage());
        }
    }
}
