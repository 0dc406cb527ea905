package io.orderly.cdc.readmodel;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What the projector last said about itself: its lifecycle state and when it last said so. A
 * projector refreshes its heartbeat every second while it runs.
 */
public record ProjectorStatus(State state, Instant heartbeatAt, @Nullable String detail) {

    /** How long a heartbeat stays believable; after that the projector is considered down. */
    public static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(5);

    public enum State {
        /** Waiting for the lease while another projector process streams; never published in Redis. */
        STANDBY,
        /** The engine is starting or connecting to PostgreSQL. */
        STARTING,
        /** Building the read models from a fresh snapshot of the tables. */
        SNAPSHOTTING,
        /** Applying the change stream. */
        STREAMING,
        /**
         * Applying the change stream to the served read models while building their next
         * generation beside them; {@code detail} says how far.
         */
        REBUILDING,
        /** Stopped cleanly. */
        STOPPED,
        /** Stopped by an error it cannot get past by itself; {@code detail} says which. */
        FAILED,
        /** No projector has sent a heartbeat recently. */
        DOWN
    }

    /** Every field, with an empty detail for none, so one HSET replaces the whole status. */
    public Map<String, String> toHash() {
        return Map.of("state", state.name(), "heartbeatAt", heartbeatAt.toString(), "detail", detail == null ? "" : detail);
    }

    /** The status stored in {@code hash}, judged at {@code now}: a stale heartbeat means {@link State#DOWN}. */
    public static ProjectorStatus fromHash(Map<String, String> hash, Instant now) {
        if (!hash.containsKey("state")) {
            return new ProjectorStatus(State.DOWN, Instant.EPOCH, "no projector has reported yet");
        }
        State state = State.valueOf(hash.get("state"));
        Instant heartbeatAt = Instant.parse(hash.get("heartbeatAt"));
        boolean stale = heartbeatAt.plus(HEARTBEAT_TIMEOUT).isBefore(now);
        if (stale && state != State.STOPPED && state != State.FAILED) {
            return new ProjectorStatus(State.DOWN, heartbeatAt, "last heartbeat at " + heartbeatAt);
        }
        String detail = hash.get("detail");
        return new ProjectorStatus(state, heartbeatAt, detail == null || detail.isEmpty() ? null : detail);
    }
}
