package io.orderly.product.command;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.orderly.command.Names;
import io.orderly.command.Text;
import io.orderly.graphql.UserError;
import io.orderly.graphql.UserErrorCode;

/**
 * What a valid sku, name, description, price and stock quantity look like. Every text follows the
 * {@link Text} rule; a description may also hold line breaks and tabs. The {@code products} table
 * checks the same rules (but for format characters, see {@link Names}), so data stays valid even
 * if a code path skips them.
 */
final class ProductRules {

    static final int SKU_MAX_LENGTH = 40;
    static final int NAME_MAX_LENGTH = 200;
    static final int DESCRIPTION_MAX_LENGTH = 2000;
    /** The largest {@code numeric(12, 2)}. */
    static final BigDecimal PRICE_MAX = new BigDecimal("9999999999.99");
    /** The most units one command may put into stock: the initial stock, or one restock. */
    static final int QUANTITY_MAX = 1_000_000_000;

    private static final Pattern SKU = Pattern.compile("[A-Z0-9][A-Z0-9._-]*");
    /** Plain decimal notation only: no sign but minus, no exponent, digits on both sides of the point. */
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    private ProductRules() {
    }

    static List<UserError> checkSku(String sku) {
        if (sku.isEmpty()) {
            return invalid("sku must not be empty", "sku");
        }
        if (sku.codePointCount(0, sku.length()) > SKU_MAX_LENGTH) {
            return invalid("sku must be at most " + SKU_MAX_LENGTH + " characters", "sku");
        }
        Optional<String> textProblem = Text.problem("sku", sku);
        if (textProblem.isPresent()) {
            return invalid(textProblem.get(), "sku");
        }
        if (sku.codePoints().anyMatch(Character::isLowerCase)) {
            return invalid("sku must not contain lower-case letters: write it in upper case", "sku");
        }
        if (!SKU.matcher(sku).matches()) {
            return invalid("sku must start with A-Z or 0-9 and contain only A-Z, 0-9, '.', '_' and '-'", "sku");
        }
        return List.of();
    }

    static List<UserError> checkName(String name) {
        return Names.problem(name, NAME_MAX_LENGTH).map(problem -> invalid(problem, "name")).orElse(List.of());
    }

    static List<UserError> checkDescription(String description) {
        if (description.codePointCount(0, description.length()) > DESCRIPTION_MAX_LENGTH) {
            return invalid("description must be at most " + DESCRIPTION_MAX_LENGTH + " characters", "description");
        }
        return Text.multilineProblem("description", description).map(problem -> invalid(problem, "description"))
                .orElse(List.of());
    }

    static List<UserError> checkPrice(String price) {
        if (!DECIMAL.matcher(price).matches()) {
            return invalid("price must be a decimal number such as 12.50, not \"" + abbreviated(price) + "\"", "price");
        }
        BigDecimal amount = new BigDecimal(price);
        if (amount.signum() < 0) {
            return invalid("price must not be negative", "price");
        }
        if (amount.scale() > 2) {
            return invalid("price must have at most 2 decimals", "price");
        }
        if (amount.compareTo(PRICE_MAX) > 0) {
            return invalid("price must be at most " + PRICE_MAX.toPlainString(), "price");
        }
        return List.of();
    }

    /** A price that passed {@link #checkPrice}, as it is stored: two decimals. */
    static BigDecimal price(String validPrice) {
        return new BigDecimal(validPrice).setScale(2);
    }

    static List<UserError> checkInitialStock(int initialStock) {
        if (initialStock < 0 || initialStock > QUANTITY_MAX) {
            return invalid("initialStock must be between 0 and " + QUANTITY_MAX, "initialStock");
        }
        return List.of();
    }

    static List<UserError> checkRestockQuantity(int quantity) {
        if (quantity < 1 || quantity > QUANTITY_MAX) {
            return invalid("quantity must be between 1 and " + QUANTITY_MAX, "quantity");
        }
        return List.of();
    }

    private static String abbreviated(String text) {
        return text.codePointCount(0, text.length()) <= 40 ? text : text.substring(0, text.offsetByCodePoints(0, 40)) + "…";
    }

    private static List<UserError> invalid(String message, String field) {
        return List.of(UserError.of(UserErrorCode.VALIDATION, message, "input", field));
    }
}
