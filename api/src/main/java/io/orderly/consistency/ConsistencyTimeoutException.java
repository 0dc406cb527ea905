package io.orderly.consistency;

import java.time.Duration;

import io.orderly.cdc.readmodel.ConsistencyToken;

/**
 * The read models did not contain the write named by a consistency token within the wait bound.
 * {@link #retryAfter()} is a hint for clients: as long as the wait they have just had.
 */
public class ConsistencyTimeoutException extends RuntimeException {

    private final Duration retryAfter;

    public ConsistencyTimeoutException(ConsistencyToken token, Duration timeout) {
        super("The read model has not applied " + token + " within " + timeout.toMillis()
                + " ms; retry later or read without a consistency token", null, false, false);
        this.retryAfter = timeout;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
