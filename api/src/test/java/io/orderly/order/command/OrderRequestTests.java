package io.orderly.order.command;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import io.orderly.command.CommandRejectedException;
import io.orderly.graphql.UserError;
import io.orderly.graphql.UserErrorCode;
import io.orderly.order.command.OrderRequest.Line;
import io.orderly.order.command.OrderRequest.LineInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

class OrderRequestTests {

    private final String customer = UUID.randomUUID().toString();
    private final UUID desk = UUID.randomUUID();
    private final UUID chair = UUID.randomUUID();
    private final UUID lamp = UUID.randomUUID();

    @Test
    void mergesLinesForTheSameProductWhereTheProductFirstAppears() {
        OrderRequest request = OrderRequest.parse(customer, List.of(
                line(chair, 1), line(desk, 2), line(chair, 3), line(lamp, 4), line(desk, 5)), null);

        assertThat(request.lines()).containsExactly(
                new Line(chair, 4, 0), new Line(desk, 7, 1), new Line(lamp, 4, 3));
        assertThat(request.productIds()).containsExactly(chair, desk, lamp);
        assertThat(request.quantities()).containsExactly(4, 7, 4);
    }

    @Test
    void refusesMergedLinesAboveTheQuantityLimitNamingTheFirstLine() {
        List<UserError> errors = refusal(List.of(line(lamp, 1), line(desk, 6000), line(desk, 4001)), null);

        assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.field()).containsExactly("input", "lines", "1", "quantity");
            assertThat(error.message()).contains("add up to 10001", "at most 10000");
        });
        assertThat(OrderRequest.parse(customer, List.of(line(desk, 6000), line(desk, 4000)), null).lines())
                .containsExactly(new Line(desk, 10000, 0));
    }

    @Test
    void reportsEveryMalformedIdAndQuantityAtOnce() {
        List<UserError> errors = refusal("42", List.of(
                new LineInput("desk", 1), line(chair, 0), line(lamp, 10001), new LineInput("", -1)), "");

        assertThat(errors).extracting(UserError::code, UserError::field).containsExactly(
                tuple(UserErrorCode.NOT_FOUND, List.of("input", "customerId")),
                tuple(UserErrorCode.VALIDATION, List.of("input", "idempotencyKey")),
                tuple(UserErrorCode.NOT_FOUND, List.of("input", "lines", "0", "productId")),
                tuple(UserErrorCode.VALIDATION, List.of("input", "lines", "1", "quantity")),
                tuple(UserErrorCode.VALIDATION, List.of("input", "lines", "2", "quantity")),
                tuple(UserErrorCode.NOT_FOUND, List.of("input", "lines", "3", "productId")),
                tuple(UserErrorCode.VALIDATION, List.of("input", "lines", "3", "quantity")));
    }

    @Test
    void acceptsOneToAHundredLines() {
        assertThat(refusal(List.of(), null)).singleElement()
                .satisfies(error -> assertThat(error.field()).containsExactly("input", "lines"));
        assertThat(refusal(Collections.nCopies(101, line(desk, 1)), null)).singleElement()
                .satisfies(error -> assertThat(error.message()).contains("1 to 100 lines, not 101"));
        List<LineInput> hundred = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            hundred.add(line(UUID.randomUUID(), 1));
        }
        assertThat(OrderRequest.parse(customer, hundred, null).lines()).hasSize(100);
    }

    @Test
    void acceptsIdempotencyKeysOfOneToAHundredCharacters() {
        assertThat(OrderRequest.parse(customer, List.of(line(desk, 1)), "k").idempotencyKey()).isEqualTo("k");
        assertThat(OrderRequest.parse(customer, List.of(line(desk, 1)), "😀".repeat(100)).lines()).hasSize(1);
        assertThat(refusal(List.of(line(desk, 1)), "k".repeat(101))).singleElement()
                .satisfies(error -> assertThat(error.field()).containsExactly("input", "idempotencyKey"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "x\ud800y", "key\u0000", "key\u200B", "\u202Ekey" })
    void refusesIdempotencyKeysThatBreakTheTextRule(String key) {
        assertThat(refusal(List.of(line(desk, 1)), key)).singleElement().satisfies(error -> {
            assertThat(error.code()).isEqualTo(UserErrorCode.VALIDATION);
            assertThat(error.field()).containsExactly("input", "idempotencyKey");
            assertThat(error.message()).startsWith("idempotencyKey must");
        });
    }

    @Test
    void fingerprintsWhatIsOrderedAfterMerging() {
        String fingerprint = OrderRequest.parse(customer, List.of(line(desk, 2), line(chair, 1)), "k").fingerprint();

        assertThat(fingerprint).matches("[0-9a-f]{64}")
                .isEqualTo(OrderRequest.parse(customer, List.of(line(desk, 1), line(chair, 1), line(desk, 1)), "other").fingerprint())
                .isNotEqualTo(OrderRequest.parse(customer, List.of(line(desk, 3), line(chair, 1)), "k").fingerprint())
                .isNotEqualTo(OrderRequest.parse(customer, List.of(line(chair, 1), line(desk, 2)), "k").fingerprint())
                .isNotEqualTo(OrderRequest.parse(UUID.randomUUID().toString(), List.of(line(desk, 2), line(chair, 1)), "k").fingerprint());
    }

    private List<UserError> refusal(List<LineInput> lines, String idempotencyKey) {
        return refusal(customer, lines, idempotencyKey);
    }

    private static List<UserError> refusal(String customerId, List<LineInput> lines, String idempotencyKey) {
        return catchThrowableOfType(CommandRejectedException.class, () -> OrderRequest.parse(customerId, lines, idempotencyKey))
                .errors();
    }

    private static LineInput line(UUID productId, int quantity) {
        return new LineInput(productId.toString(), quantity);
    }
}
