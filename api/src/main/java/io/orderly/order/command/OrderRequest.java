package io.orderly.order.command;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.orderly.command.CommandRejectedException;
import io.orderly.command.Ids;
import io.orderly.command.Text;
import io.orderly.graphql.UserError;
import io.orderly.graphql.UserErrorCode;
import org.jspecify.annotations.Nullable;

/**
 * A {@code placeOrder} request that passed the checks that need no database: ids well-formed,
 * quantities in range, and one line per product.
 *
 * @param lines one per product, in the order the products first appear in the input
 */
record OrderRequest(UUID customerId, List<Line> lines, @Nullable String idempotencyKey) {

    static final int MAX_LINES = 100;
    static final int MAX_QUANTITY = 10_000;
    static final int MAX_KEY_LENGTH = 100;

    /**
     * A product and the units ordered of it.
     *
     * @param inputIndex where the product first appears in the input lines, for error paths
     */
    record Line(UUID productId, int quantity, int inputIndex) {

        String[] field(String... subField) {
            List<String> path = new ArrayList<>(List.of("input", "lines", Integer.toString(inputIndex)));
            path.addAll(List.of(subField));
            return path.toArray(String[]::new);
        }
    }

    /** One line of the GraphQL input. */
    record LineInput(String productId, int quantity) {
    }

    /**
     * Checks the input and merges lines for the same product (quantities summed, kept where the
     * product first appears).
     *
     * @throws CommandRejectedException with every problem found
     */
    static OrderRequest parse(String customerId, List<LineInput> lines, @Nullable String idempotencyKey) {
        List<UserError> errors = new ArrayList<>();
        Optional<UUID> customer = Ids.parse(customerId);
        if (customer.isEmpty()) {
            errors.add(UserError.of(UserErrorCode.NOT_FOUND, "no customer with id " + customerId, "input", "customerId"));
        }
        if (idempotencyKey != null) {
            checkIdempotencyKey(idempotencyKey).ifPresent(errors::add);
        }
        if (lines.isEmpty() || lines.size() > MAX_LINES) {
            errors.add(UserError.of(UserErrorCode.VALIDATION,
                    "an order has 1 to " + MAX_LINES + " lines, not " + lines.size(), "input", "lines"));
            throw new CommandRejectedException(errors);
        }
        Map<UUID, Line> merged = new LinkedHashMap<>();
        for (int index = 0; index < lines.size(); index++) {
            LineInput input = lines.get(index);
            String position = Integer.toString(index);
            Optional<UUID> product = Ids.parse(input.productId());
            if (product.isEmpty()) {
                errors.add(UserError.of(UserErrorCode.NOT_FOUND, "no product with id " + input.productId(),
                        "input", "lines", position, "productId"));
            }
            if (input.quantity() < 1 || input.quantity() > MAX_QUANTITY) {
                errors.add(UserError.of(UserErrorCode.VALIDATION,
                        "quantity must be between 1 and " + MAX_QUANTITY + ", not " + input.quantity(),
                        "input", "lines", position, "quantity"));
            }
            else if (product.isPresent()) {
                merged.merge(product.get(), new Line(product.get(), input.quantity(), index),
                        (first, again) -> new Line(first.productId(), first.quantity() + again.quantity(), first.inputIndex()));
            }
        }
        for (Line line : merged.values()) {
            if (line.quantity() > MAX_QUANTITY) {
                errors.add(UserError.of(UserErrorCode.VALIDATION,
                        "the lines for product " + line.productId() + " add up to " + line.quantity()
                                + " units; at most " + MAX_QUANTITY + " can be ordered at once",
                        line.field("quantity")));
            }
        }
        if (!errors.isEmpty()) {
            throw new CommandRejectedException(errors);
        }
        return new OrderRequest(customer.orElseThrow(), List.copyOf(merged.values()), idempotencyKey);
    }

    private static Optional<UserError> checkIdempotencyKey(String key) {
        int length = key.codePointCount(0, key.length());
        if (length < 1 || length > MAX_KEY_LENGTH) {
            return Optional.of(UserError.of(UserErrorCode.VALIDATION,
                    "idempotencyKey must be 1 to " + MAX_KEY_LENGTH + " characters", "input", "idempotencyKey"));
        }
        return Text.problem("idempotencyKey", key)
                .map(problem -> UserError.of(UserErrorCode.VALIDATION, problem, "input", "idempotencyKey"));
    }

    /**
     * A SHA-256 digest (hex) of what the request orders: the customer and the merged lines in
     * order. A retry with the same key must order the same.
     */
    String fingerprint() {
        StringBuilder text = new StringBuilder(customerId.toString());
        lines.forEach(line -> text.append('\n').append(line.productId()).append(' ').append(line.quantity()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    UUID[] productIds() {
        return lines.stream().map(Line::productId).toArray(UUID[]::new);
    }

    Integer[] quantities() {
        return lines.stream().map(Line::quantity).toArray(Integer[]::new);
    }
}
