package io.orderly.command;

import java.util.Optional;

/**
 * The rule every text input of every command follows, before the rules of its field: valid
 * Unicode, and no control (Cc) or format (Cf) characters. A lone surrogate would reach PostgreSQL
 * as {@code ?}, so two different inputs would be stored as one; NUL is refused by PostgreSQL
 * outright; direction overrides and zero-width characters make a value read as another.
 */
public final class Text {

    private Text() {
    }

    /** Why {@code text} is not acceptable as the value of {@code field}, if it is not. */
    public static Optional<String> problem(String field, String text) {
        return problem(field, text, false);
    }

    /** As {@link #problem}, but line feeds, carriage returns and tabs are allowed: for multi-line text. */
    public static Optional<String> multilineProblem(String field, String text) {
        return problem(field, text, true);
    }

    private static Optional<String> problem(String field, String text, boolean multiline) {
        int position = 0;
        for (int index = 0; index < text.length(); index += Character.charCount(text.codePointAt(index))) {
            int codePoint = text.codePointAt(index);
            position++;
            Optional<String> refusal = switch (Character.getType(codePoint)) {
                case Character.SURROGATE -> Optional.of("must be valid Unicode: it has a lone surrogate");
                case Character.CONTROL -> multiline && isLineBreakOrTab(codePoint)
                        ? Optional.empty()
                        : Optional.of("must not contain control characters");
                case Character.FORMAT -> Optional.of("must not contain invisible format characters");
                default -> Optional.empty();
            };
            if (refusal.isPresent()) {
                return Optional.of(field + " " + refusal.get() + " (" + String.format("U+%04X", codePoint)
                        + " at character " + position + ")");
            }
        }
        return Optional.empty();
    }

    private static boolean isLineBreakOrTab(int codePoint) {
        return codePoint == '\n' || codePoint == '\r' || codePoint == '\t';
    }
}
