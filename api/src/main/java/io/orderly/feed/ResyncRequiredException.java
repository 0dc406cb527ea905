package io.orderly.feed;

import io.orderly.graphql.ErrorCodes;
import io.orderly.graphql.OperationRefusedException;

/**
 * The feed no longer holds every entry after the client's cursor (trimmed by retention, or rebuilt
 * since): the client must reload its state with queries, then subscribe from a fresh cursor.
 */
public class ResyncRequiredException extends OperationRefusedException {

    public ResyncRequiredException(String message) {
        super(ErrorCodes.RESYNC_REQUIRED, message);
    }

    @Override
    public boolean atField() {
        return false;
    }
}
