package io.orderly.projection;

import java.time.Clock;
import java.time.Duration;

import io.lettuce.core.api.StatefulRedisConnection;
import io.orderly.cdc.readmodel.Lsn;
import io.orderly.cdc.readmodel.ProjectorStatus;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.cdc.readmodel.Watermark;
import io.orderly.runtime.ConditionalOnRole;
import io.orderly.runtime.Role;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The projector, in processes with the projector role: up while one streams or builds a snapshot
 * (this process or the one holding the lease), down when stopped, failed or silent. Details carry
 * the state and the lag. Other processes stay healthy while the projector is away; their reads
 * report staleness through {@code projection} instead.
 */
@Component
@ConditionalOnRole(Role.PROJECTOR)
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
            case STREAMING, REBUILDING, SNAPSHOTTING, STARTING -> Health.up();
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
