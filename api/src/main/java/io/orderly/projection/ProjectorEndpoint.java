package io.orderly.projection;

import java.util.Map;

import io.orderly.cdc.supervision.ProjectorSupervisor;
import io.orderly.runtime.ConditionalOnRole;
import io.orderly.runtime.Role;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/projector}: this process's projector, and {@code POST} to rebuild the read models
 * from a fresh snapshot beside the served ones. Like every actuator endpoint but health, it needs a
 * token with the ADMIN role; operators may also move the actuator to a management port only they reach.
 */
@Component
@Endpoint(id = "projector")
@ConditionalOnRole(Role.PROJECTOR)
class ProjectorEndpoint {

    private final ProjectorSupervisor projector;

    ProjectorEndpoint(ProjectorSupervisor projector) {
        this.projector = projector;
    }

    @ReadOperation
    Map<String, Object> projector() {
        return Map.of("owner", projector.owner(), "state", projector.state().name());
    }

    @WriteOperation
    Map<String, Object> rebuild() {
        boolean accepted = projector.requestRebuild();
        return Map.of("rebuildRequested", accepted, "owner", projector.owner(),
                "detail", accepted
                        ? "the streaming projector rebuilds from a fresh snapshot beside the served read models; "
                                + "follow projection { state snapshot { rowsDone rowsTotal etaSeconds } }"
                        : "a rebuild is already requested or under way");
    }
}
