package io.orderly.projection;

import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.stereotype.Component;

/**
 * {@code GET /actuator/readmodelcheck}: compares every read model with PostgreSQL on the live
 * system and lists the differences (read-only on both sides). Run it when the projector has caught
 * up; on a busy system a few differences may be writes still in flight, so run it twice.
 */
@Component
@Endpoint(id = "readmodelcheck")
class ReadModelCheckEndpoint {

    private final ReadModelCheck check;

    ReadModelCheckEndpoint(ReadModelCheck check) {
        this.check = check;
    }

    @ReadOperation
    Map<String, Object> check() {
        List<String> differences = check.differences();
        return Map.of("consistent", differences.isEmpty(), "differenceCount", differences.size(),
                "differences", differences.stream().limit(100).toList());
    }
}
