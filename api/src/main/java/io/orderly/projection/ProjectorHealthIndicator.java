package io.orderly.projection;

import java.time.Clock;
import java.time.Duration;

import io.lettuce.core.api.StatefulRedisConnection;
import io.orderly.cdc.readmodel.Lsn;
import io.orderly.cdc.readmodel.ProjectorStatus;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.cdc.readmodel.Watermark;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The projector as the read models see it, in any process: up while streaming or building a
 * snapshot, down when stopped, failed or silent. Details carry the state and the lag.
 */
@Component
class ProjectorHealthIndicator implements HealthIndicator {

    private final StatefulRedisConnection<String, String> redis;
    private final Clock clock = Clock.systemUTC();

    ProjectorHealthIndicator(StatefulRedisConnection<String, String> readModelConnection) {
        this.redis = readModelConnection;
    }

    @Override
    public Health health() {
        ProjectorStatus status = ProjectorStatus.fromHash(redis.sync().hgetall(ReadModelKeys.PROJECTOR_STATUS), clock.instant());
        Watermark watermark = Watermark.fromHash(redis.sync().hgetall(ReadModelKeys.WATERMARK));
        Health.Builder health = switch (status.state()) {
            case STREAMING, SNAPSHOTTING, STARTING -> Health.up();
            default -> Health.down();
        };
        health.withDetail("state", status.state().name());
        if (status.detail() != null) {
            health.withDetail("detail", status.detail());
        }
        if (watermark.exists()) {
            health.withDetail("appliedPosition", Lsn.format(watermark.position()))
                    .withDetail("lastCommittedAt", watermark.committedAt().toString())
                    .withDetail("lagMillis", Duration.between(watermark.committedAt(), watermark.appliedAt()).toMillis());
        }
        return health.build();
    }
}
