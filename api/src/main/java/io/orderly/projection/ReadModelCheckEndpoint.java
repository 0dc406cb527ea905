package io.orderly.projection;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.stereotype.Component;

/**
 * {@code GET /actuator/readmodelcheck}: compares every read model with PostgreSQL on the live
 * system and lists the differences (read-only on both sides). Run it when the projector has caught
 * up; on a busy system a few differences may be writes still in flight, so run it twice. It waits
 * first for a staged transaction being copied into place, as {@link ReadModelCheck} does. It reads
 * every row and document, so it runs one at a time: a call while one runs answers 429. Needs ADMIN.
 */
@Component
@Endpoint(id = "readmodelcheck")
class ReadModelCheckEndpoint {

    private final ReadModelCheck check;
    private final Semaphore oneAtATime = new Semaphore(1);

    ReadModelCheckEndpoint(ReadModelCheck check) {
        this.check = check;
    }

    @ReadOperation
    WebEndpointResponse<Map<String, Object>> check() {
        if (!oneAtATime.tryAcquire()) {
            return new WebEndpointResponse<>(Map.of("error", "a read-model check is already running; try again when it is done"),
                    WebEndpointResponse.STATUS_TOO_MANY_REQUESTS);
        }
        try {
            List<String> differences = check.differences();
            return new WebEndpointResponse<>(Map.of("consistent", differences.isEmpty(), "differenceCount", differences.size(),
                    "differences", differences.stream().limit(100).toList()));
        }
        finally {
            oneAtATime.release();
        }
    }
}
