package io.orderly.identity;

/**
 * An operation the caller may not run: without a valid token where one is needed
 * ({@code UNAUTHENTICATED}), or without a role it needs ({@code FORBIDDEN}). Nothing has been read
 * or written when it is thrown.
 */
public class AccessRefusedException extends RuntimeException {

    private final boolean authenticated;

    private AccessRefusedException(boolean authenticated, String message) {
        super(message, null, false, false);
        this.authenticated = authenticated;
    }

    static AccessRefusedException unauthenticated(String operation) {
        return new AccessRefusedException(false,
                operation + " needs a signed-in caller: send Authorization: Bearer <token>");
    }

    static AccessRefusedException forbidden(String operation, String needed) {
        return new AccessRefusedException(true, operation + " needs the role " + needed);
    }

    /** False when the caller is anonymous (no token): the error code is UNAUTHENTICATED, else FORBIDDEN. */
    public boolean isAuthenticated() {
        return authenticated;
    }
}
