package io.orderly.cdc.supervision;

import io.orderly.cdc.apply.ReadModelWriter;
import io.orderly.cdc.pipeline.ChangeSource;
import io.orderly.cdc.pipeline.ChangeSourceFactory;
import io.orderly.cdc.readmodel.ProjectorStatus.State;
import io.orderly.cdc.readmodel.SnapshotProgress;
import org.jspecify.annotations.Nullable;

/**
 * A change source and the writer it delivers to, applying to the read models of one Redis
 * database: what the supervisor starts, parks and closes. It runs one for the read models being
 * served and, during a rebuild, a second one that builds the next generation beside them.
 */
final class Engine {

    /** What the engine tells the supervisor, on the engine's thread. */
    interface Listener {

        void stateChanged(Engine engine, State state);

        void snapshotProgressed(Engine engine, SnapshotProgress progress);

        /** The engine stopped on an error, or its transactions could not be applied; not called once {@link #close()} began. */
        void failed(Engine engine, Throwable error);
    }

    private final ReadModelWriter writer;
    private final ChangeSource source;
    private volatile boolean closing;

    Engine(ReadModelWriter writer, ChangeSourceFactory sources, String slot, int database, @Nullable SnapshotProgress progress,
            Listener listener) {
        this.writer = writer;
        this.source = sources.create(slot, database, progress, writer, new Reports(listener));
    }

    void start() {
        source.start();
    }

    /** Finishes the apply in flight, if any, and applies nothing more: the position is final once this returns. */
    void park() {
        writer.park();
    }

    /** Parks, then stops the source and closes the writer's connection. */
    void close() {
        writer.park();
        closing = true;
        writer.stop();
        source.close();
        writer.close();
    }

    boolean isRunning() {
        return source.isRunning();
    }

    String slotName() {
        return source.slotName();
    }

    State state() {
        return source.state();
    }

    /** WAL position of the last transaction applied (0 before the first). */
    long position() {
        return writer.position();
    }

    @Nullable SnapshotProgress snapshot() {
        return source.snapshot();
    }

    boolean snapshotComplete() {
        return source.snapshotComplete();
    }

    /** Whether this engine has applied everything up to its ceiling and waits for the serving engine to move. */
    boolean waitingAtCeiling() {
        return writer.waitingAtCeiling();
    }

    /** The source's reports as the engine's, none once closing began. */
    private final class Reports implements ChangeSource.Listener {

        private final Listener listener;

        Reports(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void stateChanged(State state) {
            listener.stateChanged(Engine.this, state);
        }

        @Override
        public void snapshotProgressed(SnapshotProgress progress) {
            listener.snapshotProgressed(Engine.this, progress);
        }

        @Override
        public void failed(Throwable error) {
            if (!closing) {
                listener.failed(Engine.this, error);
            }
        }
    }
}
