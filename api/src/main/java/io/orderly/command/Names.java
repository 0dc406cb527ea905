package io.orderly.command;

import java.util.Optional;

/**
 * The rule every display name follows (customers, products): not blank, no surrounding
 * whitespace, at most a given number of characters (code points, as PostgreSQL's {@code length}
 * counts them), and the {@link Text} rule. The tables check the same, except for format characters,
 * which have no class in PostgreSQL's regular expressions.
 */
public final class Names {

    private Names() {
    }

    /** Why {@code name} is not a valid name of at most {@code maxLength} characters, if it is not. */
    public static Optional<String> problem(String name, int maxLength) {
        if (name.isBlank()) {
            return Optional.of("name must not be blank");
        }
        if (!name.equals(name.strip())) {
            return Optional.of("name must not start or end with whitespace");
        }
        if (name.codePointCount(0, name.length()) > maxLength) {
            return Optional.of("name must be at most " + maxLength + " characters");
        }
        return Text.problem("name", name);
    }
}
