package io.orderly.customer.command;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import io.orderly.command.Names;
import io.orderly.command.Text;
import io.orderly.graphql.UserError;
import io.orderly.graphql.UserErrorCode;

/**
 * What a valid customer email and name look like, and the form in which an email is stored. The
 * {@code customers} table checks the same rules (but for format characters, see {@link Names}),
 * so data stays valid even if a code path skips them.
 */
final class CustomerRules {

    static final int EMAIL_MAX_LENGTH = 254;
    static final int NAME_MAX_LENGTH = 100;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private CustomerRules() {
    }

    /** Checks the email in its {@linkplain #normalizedEmail normalized} form, the one that is stored. */
    static List<UserError> checkEmail(String email) {
        Optional<String> textProblem = Text.problem("email", email);
        if (textProblem.isPresent()) {
            return List.of(invalid(textProblem.get(), "email"));
        }
        String normalized = normalizedEmail(email);
        if (normalized.isBlank()) {
            return List.of(invalid("email must not be blank", "email"));
        }
        if (normalized.chars().anyMatch(Character::isWhitespace)) {
            return List.of(invalid("email must not contain whitespace", "email"));
        }
        if (normalized.codePointCount(0, normalized.length()) > EMAIL_MAX_LENGTH) {
            return List.of(invalid("email must be at most " + EMAIL_MAX_LENGTH + " characters", "email"));
        }
        if (!EMAIL.matcher(normalized).matches()) {
            return List.of(invalid("email must look like name@example.com", "email"));
        }
        return List.of();
    }

    /**
     * The email as it is stored and compared for uniqueness: NFKC, so that full-width and other
     * compatibility forms count as the plain characters they look like, then lower case, as the
     * unique index compares. Only for an email that passed the {@link Text} rule.
     */
    static String normalizedEmail(String email) {
        return Normalizer.normalize(email, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    static List<UserError> checkName(String name) {
        return Names.problem(name, NAME_MAX_LENGTH).map(problem -> List.of(invalid(problem, "name"))).orElse(List.of());
    }

    private static UserError invalid(String message, String field) {
        return UserError.of(UserErrorCode.VALIDATION, message, "input", field);
    }
}
