package io.orderly.consistency;

import java.time.Duration;
import java.util.Map;

import io.orderly.cdc.readmodel.ConsistencyToken;
import io.orderly.graphql.ErrorCodes;
import io.orderly.graphql.OperationRefusedException;

/**
 * The read models did not contain the write named by a consistency token within the wait bound.
 * {@link #retryAfter()} is a hint for clients: as long as the wait they have just had.
 */
public class ConsistencyTimeoutException extends OperationRefusedException {

    private final Duration retryAfter;

    public ConsistencyTimeoutException(ConsistencyToken token, Duration timeout) {
        super(ErrorCodes.CONSISTENCY_TIMEOUT, "The read model has not applied " + token + " within " + timeout.toMillis()
                + " ms; retry later or read without a consistency token");
        this.retryAfter = timeout;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public Map<String, Object> extensions() {
        return Map.of("retryAfterMillis", retryAfter.toMillis());
    }
}
