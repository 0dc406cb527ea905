package io.orderly.customer.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.orderly.command.Names;
import io.orderly.command.Text;
import io.orderly.graphql.UserError;
import io.orderly.graphql.UserErrorCode;

/**
 * What a valid customer email and name look like. The {@code customers} table checks the same
 * rules (but for format characters, see {@link Names}), so data stays valid even if a code path
 * skips them.
 */
final class CustomerRules {

    static final int EMAIL_MAX_LENGTH = 254;
    static final int NAME_MAX_LENGTH = 100;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private CustomerRules() {
    }

    static List<UserError> checkEmail(String email) {
        List<UserError> errors = new ArrayList<>();
        Optional<String> textProblem = Text.problem("email", email);
        if (textProblem.isPresent()) {
            errors.add(invalid(textProblem.get(), "email"));
        }
        else if (email.isBlank()) {
            errors.add(invalid("email must not be blank", "email"));
        }
        else if (email.chars().anyMatch(Character::isWhitespace)) {
            errors.add(invalid("email must not contain whitespace", "email"));
        }
        else if (email.codePointCount(0, email.length()) > EMAIL_MAX_LENGTH) {
            errors.add(invalid("email must be at most " + EMAIL_MAX_LENGTH + " characters", "email"));
        }
        else if (!EMAIL.matcher(email).matches()) {
            errors.add(invalid("email must look like name@example.com", "email"));
        }
        return errors;
    }

    static List<UserError> checkName(String name) {
        return Names.problem(name, NAME_MAX_LENGTH).map(problem -> List.of(invalid(problem, "name"))).orElse(List.of());
    }

    private static UserError invalid(String message, String field) {
        return UserError.of(UserErrorCode.VALIDATION, message, "input", field);
    }
}
