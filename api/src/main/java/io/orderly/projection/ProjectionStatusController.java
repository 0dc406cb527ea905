package io.orderly.projection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.orderly.cdc.readmodel.Lsn;
import io.orderly.cdc.readmodel.ProjectorStatus;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.cdc.readmodel.SnapshotProgress;
import io.orderly.cdc.readmodel.SourceStatus;
import io.orderly.cdc.readmodel.Watermark;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/** Resolves {@code projection}: how far the read models are, read from what the projector wrote to Redis. */
@Controller
class ProjectionStatusController {

    private final RedisAsyncCommands<String, String> redis;
    private final Clock clock = Clock.systemUTC();

    ProjectionStatusController(StatefulRedisConnection<String, String> queryConnection) {
        this.redis = queryConnection.async();
    }

    @QueryMapping
    Mono<ProjectionStatusView> projection() {
        Mono<Map<String, String>> watermark = Mono.fromCompletionStage(() -> redis.hgetall(ReadModelKeys.WATERMARK));
        Mono<Map<String, String>> status = Mono.fromCompletionStage(() -> redis.hgetall(ReadModelKeys.PROJECTOR_STATUS));
        Mono<Map<String, String>> source = Mono.fromCompletionStage(() -> redis.hgetall(ReadModelKeys.SOURCE_STATUS));
        return Mono.zip(watermark, status, source).map(all -> view(Watermark.fromHash(all.getT1()),
                ProjectorStatus.fromHash(all.getT2(), clock.instant()), SourceStatus.fromHash(all.getT3()), clock.instant()));
    }

    @SchemaMapping(typeName = "ProjectionStatus")
    Mono<SnapshotProgressView> snapshot(ProjectionStatusView status) {
        return Mono.fromCompletionStage(() -> redis.hgetall(ReadModelKeys.SNAPSHOT_PROGRESS))
                .mapNotNull(SnapshotProgress::fromHash)
                .map(progress -> SnapshotProgressView.of(progress, clock.instant()));
    }

    private static ProjectionStatusView view(Watermark watermark, ProjectorStatus status, @Nullable SourceStatus source, Instant now) {
        Long lagBytes = source == null ? null : Math.max(0, source.position() - watermark.position());
        Long slotRetained = source == null ? null : source.slotRetainedBytes();
        if (!watermark.exists()) {
            return new ProjectionStatusView(status.state(), null, null, null, null, null, null,
                    lagBytes, slotRetained, status.heartbeatAt(), status.detail());
        }
        // Behind: the write store has WAL past the watermark that no heartbeat has covered yet.
        boolean behind = lagBytes != null && lagBytes > 0 && source.measuredAt().isAfter(watermark.appliedAt());
        return new ProjectionStatusView(
                status.state(),
                Lsn.format(watermark.position()),
                Long.toString(watermark.txId()),
                watermark.committedAt(),
                watermark.appliedAt(),
                Duration.between(watermark.committedAt(), watermark.appliedAt()).toMillis(),
                behind ? Duration.between(watermark.committedAt(), now).toMillis() : 0L,
                lagBytes,
                slotRetained,
                status.heartbeatAt(),
                status.detail());
    }

    /** The GraphQL {@code SnapshotProgress}. */
    record SnapshotProgressView(Instant startedAt, @Nullable Instant completedAt, long rowsDone, long rowsTotal,
            double rowsPerSecond, @Nullable Long etaSeconds) {

        static SnapshotProgressView of(SnapshotProgress progress, Instant now) {
            return new SnapshotProgressView(progress.startedAt(), progress.completedAt(), progress.rowsDone(),
                    progress.rowsTotal(), progress.rowsPerSecond(now), progress.etaSeconds(now));
        }
    }

    /** The GraphQL {@code ProjectionStatus}. */
    record ProjectionStatusView(
            ProjectorStatus.State state,
            @Nullable String appliedPosition,
            @Nullable String appliedTransactionId,
            @Nullable Instant lastCommittedAt,
            @Nullable Instant lastAppliedAt,
            @Nullable Long lagMillis,
            @Nullable Long stalenessMillis,
            @Nullable Long lagBytes,
            @Nullable Long slotRetainedBytes,
            Instant heartbeatAt,
            @Nullable String detail) {
    }
}
