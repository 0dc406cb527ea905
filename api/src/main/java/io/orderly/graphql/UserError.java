package io.orderly.graphql;

import java.util.List;

/**
 * A refused command's reason, returned in a payload's {@code errors}. {@code field} is the path of
 * the offending input field, e.g. {@code ["input", "email"]}, or empty when no single field is to blame.
 */
public record UserError(UserErrorCode code, List<String> field, String message) {

    public static UserError of(UserErrorCode code, String message, String... field) {
        return new UserError(code, List.of(field), message);
    }
}
