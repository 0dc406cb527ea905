package io.orderly.feed;

/**
 * The feed no longer holds every entry after the client's cursor (trimmed by retention, or rebuilt
 * since): the client must reload its state with queries, then subscribe from a fresh cursor.
 */
public class ResyncRequiredException extends RuntimeException {

    public ResyncRequiredException(String message) {
        super(message, null, false, false);
    }
}
