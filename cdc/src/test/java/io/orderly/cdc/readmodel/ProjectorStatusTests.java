package io.orderly.cdc.readmodel;

import java.time.Instant;
import java.util.Map;

import io.orderly.cdc.readmodel.ProjectorStatus.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class ProjectorStatusTests {

    private static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");

    @Test
    void survivesHashRoundTrip() {
        var status = new ProjectorStatus(State.STREAMING, NOW.minusSeconds(1), null);

        assertThat(ProjectorStatus.fromHash(status.toHash(), NOW)).isEqualTo(status);
    }

    @Test
    void keepsDetailInHashRoundTrip() {
        var status = new ProjectorStatus(State.FAILED, NOW, "replication slot is gone");

        assertThat(ProjectorStatus.fromHash(status.toHash(), NOW)).isEqualTo(status);
    }

    @Test
    void trustsHeartbeatUpToTheTimeout() {
        var status = new ProjectorStatus(State.STREAMING, NOW.minus(ProjectorStatus.HEARTBEAT_TIMEOUT), null);

        assertThat(ProjectorStatus.fromHash(status.toHash(), NOW).state()).isEqualTo(State.STREAMING);
    }

    @ParameterizedTest
    @EnumSource(value = State.class, names = { "STARTING", "SNAPSHOTTING", "STREAMING" })
    void isDownWhenHeartbeatIsOlderThanTimeout(State state) {
        Instant heartbeatAt = NOW.minus(ProjectorStatus.HEARTBEAT_TIMEOUT).minusMillis(1);
        var stored = new ProjectorStatus(state, heartbeatAt, null);

        var status = ProjectorStatus.fromHash(stored.toHash(), NOW);

        assertThat(status.state()).isEqualTo(State.DOWN);
        assertThat(status.heartbeatAt()).isEqualTo(heartbeatAt);
    }

    @ParameterizedTest
    @EnumSource(value = State.class, names = { "STOPPED", "FAILED" })
    void keepsFinalStateDespiteOldHeartbeat(State state) {
        var stored = new ProjectorStatus(state, NOW.minusSeconds(3600), "gone");

        assertThat(ProjectorStatus.fromHash(stored.toHash(), NOW)).isEqualTo(stored);
    }

    @Test
    void isDownWhenNothingWasReported() {
        assertThat(ProjectorStatus.fromHash(Map.of(), NOW).state()).isEqualTo(State.DOWN);
    }
}
