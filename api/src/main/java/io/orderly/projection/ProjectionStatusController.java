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
import io.orderly.cdc.readmodel.Watermark;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/** Resolves {@code projection}: how far the read models are, read from what the projector wrote to Redis. */
@Controller
class ProjectionStatusController {

    private final RedisAsyncCommands<String, String> redis;
    private final Clock clock = Clock.systemUTC();

    ProjectionStatusController(StatefulRedisConnection<String, String> readModelConnection) {
        this.redis = readModelConnection.async();
    }

    @QueryMapping
    Mono<ProjectionStatusView> projection() {
        Mono<Map<String, String>> watermark = Mono.fromCompletionStage(() -> redis.hgetall(ReadModelKeys.WATERMARK));
        Mono<Map<String, String>> status = Mono.fromCompletionStage(() -> redis.hgetall(ReadModelKeys.PROJECTOR_STATUS));
        return Mono.zip(watermark, status).map(both -> view(Watermark.fromHash(both.getT1()),
                ProjectorStatus.fromHash(both.getT2(), clock.instant())));
    }

    private static ProjectionStatusView view(Watermark watermark, ProjectorStatus status) {
        if (!watermark.exists()) {
            return new ProjectionStatusView(status.state(), null, null, null, null, null, status.heartbeatAt(), status.detail());
        }
        return new ProjectionStatusView(
                status.state(),
                Lsn.format(watermark.position()),
                Long.toString(watermark.txId()),
                watermark.committedAt(),
                watermark.appliedAt(),
                Duration.between(watermark.committedAt(), watermark.appliedAt()).toMillis(),
                status.heartbeatAt(),
                status.detail());
    }

    /** The GraphQL {@code ProjectionStatus}. */
    record ProjectionStatusView(
            ProjectorStatus.State state,
            @Nullable String appliedPosition,
            @Nullable String appliedTransactionId,
            @Nullable Instant lastCommittedAt,
            @Nullable Instant lastAppliedAt,
            @Nullable Long lagMillis,
            Instant heartbeatAt,
            @Nullable String detail) {
    }
}
