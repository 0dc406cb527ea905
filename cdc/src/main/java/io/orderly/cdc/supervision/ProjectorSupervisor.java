package io.orderly.cdc.supervision;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.lettuce.core.RedisClient;
import io.orderly.cdc.ProjectorSettings;
import io.orderly.cdc.apply.ApplyObserver;
import io.orderly.cdc.apply.Projection;
import io.orderly.cdc.pipeline.ChangeSourceFactory;
import io.orderly.cdc.readmodel.ProjectorStatus.State;
import io.orderly.cdc.source.ReplicationSlots;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The projector: keeps the Redis read models in step with PostgreSQL through an {@link Engine}: a
 * change source of the kind it is given, streaming the committed changes of a replication slot.
 *
 * <p>Several projector processes may run; the one holding the {@link ProjectorLease} streams, the
 * others stand by and take over within seconds of its death. Before streaming, a projector checks
 * that the read models and the replication slot still describe the same history
 * ({@link ServedHistory}); when they do not, or when Redis loses its data while it streams, it
 * builds everything in place from a fresh snapshot. An operator's rebuild keeps serving instead
 * and switches generations at the end ({@link GenerationSwitch}). Each start begins a
 * {@link Supervision}, which the supervisor drives once a second until the next stop.
 */
public final class ProjectorSupervisor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProjectorSupervisor.class);

    private final ProjectorSettings settings;
    private final RedisClient redisClient;
    private final ReplicationSlots slots;
    private final ChangeSourceFactory sources;
    private final List<Projection> projections;
    private final Clock clock;
    private final ApplyObserver observer;
    private final String owner;

    private volatile boolean running;
    private @Nullable ScheduledExecutorService supervisor;
    /** What a start began, and the stop after it ended; kept after the stop for its final state. */
    private volatile @Nullable Supervision current;

    /**
     * @param dataSource the write store, for what the projector asks about its replication slots
     * @param sources where the engines read changes from
     */
    public ProjectorSupervisor(ProjectorSettings settings, RedisClient redisClient, DataSource dataSource, ChangeSourceFactory sources,
            List<Projection> projections, Clock clock, ApplyObserver observer) {
        this.settings = settings;
        this.slots = new ReplicationSlots(dataSource);
        this.sources = sources;
        this.observer = observer;
        this.redisClient = redisClient;
        this.projections = List.copyOf(projections);
        this.clock = clock;
        this.owner = ProjectorLease.newOwner();
    }

    /**
     * Starts supervising: this process streams as soon as it holds the lease (at once when no other
     * projector runs), and otherwise stands by, checking every second.
     */
    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        Supervision previous = current;
        current = new Supervision(settings, redisClient, slots, sources, projections, clock, observer, owner, this::isRunning,
                previous != null && previous.rebuildInPlace());
        running = true;
        supervise();
        supervisor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "orderly-projector-supervisor");
            thread.setDaemon(true);
            return thread;
        });
        supervisor.scheduleWithFixedDelay(this::supervise, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService supervising;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            supervising = supervisor;
        }
        if (supervising != null) {
            supervising.shutdownNow();
            awaitTermination(supervising, "supervisor");
        }
        synchronized (this) {
            supervision().stop();
            log.info("Projector stopped");
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Once a second: see {@link Supervision#supervise()}. */
    private void supervise() {
        try {
            supervision().supervise();
        }
        catch (RuntimeException e) {
            log.warn("Projector supervision failed, retrying in a second: {}", e.getMessage());
        }
    }

    private static void awaitTermination(ExecutorService executor, String what) {
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("The {} did not stop within 30 s", what);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The name this process holds the lease under: {@code <pid>@<host>/<random>}. */
    public String owner() {
        return owner;
    }

    /** The projector's own view of its state, also published in Redis every second. */
    public State state() {
        Supervision supervision = current;
        return supervision == null ? State.STOPPED : supervision.state();
    }

    /**
     * Asks for the read models to be rebuilt from a fresh snapshot while the current ones keep
     * serving. The request is kept in Redis, so any projector process may take it: the one that
     * streams starts the rebuild within a second, and one that takes over from it starts again.
     *
     * @return whether the request was recorded (false when one is already pending or under way)
     */
    public boolean requestRebuild() {
        return supervision().requestRebuild();
    }

    private Supervision supervision() {
        Supervision supervision = current;
        if (supervision == null) {
            throw new IllegalStateException("projector not started");
        }
        return supervision;
    }
}
