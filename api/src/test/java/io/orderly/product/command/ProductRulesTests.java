package io.orderly.product.command;

import java.math.BigDecimal;
import java.util.List;

import io.orderly.graphql.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ProductRulesTests {

    @ParameterizedTest
    @CsvSource({ "0, 0.00", "12, 12.00", "12.5, 12.50", "12.50, 12.50", "007.10, 7.10", "9999999999.99, 9999999999.99" })
    void acceptsPlainDecimalPricesAndStoresThemWithTwoDecimals(String price, String stored) {
        assertThat(ProductRules.checkPrice(price)).isEmpty();
        assertThat(ProductRules.price(price)).isEqualTo(new BigDecimal(stored)).hasScaleOf(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''               | must be a decimal number",
            "abc              | must be a decimal number",
            "1e3              | must be a decimal number",
            "1E+2             | must be a decimal number",
            "+5               | must be a decimal number",
            "'12,50'          | must be a decimal number",
            "' 12.50'         | must be a decimal number",
            ".5               | must be a decimal number",
            "5.               | must be a decimal number",
            "NaN              | must be a decimal number",
            "0x10             | must be a decimal number",
            "-0.01            | must not be negative",
            "-12              | must not be negative",
            "12.505           | at most 2 decimals",
            "12.500           | at most 2 decimals",
            "10000000000      | at most 9999999999.99",
            "10000000000.00   | at most 9999999999.99" })
    void refusesPricesThatAreNotPlainNonNegativeAmountsInCents(String price, String message) {
        assertThat(ProductRules.checkPrice(price)).singleElement().satisfies(error -> {
            assertThat(error.field()).containsExactly("input", "price");
            assertThat(error.message()).contains(message);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = { "A", "0", "DESK-1", "DESK_1.V2", "9-LIVES" })
    void acceptsUpperCaseSkus(String sku) {
        assertThat(ProductRules.checkSku(sku)).isEmpty();
    }

    @Test
    void limitsSkusToFortyCharacters() {
        assertThat(ProductRules.checkSku("A".repeat(40))).isEmpty();
        assertThat(ProductRules.checkSku("A".repeat(41))).singleElement()
                .satisfies(error -> assertThat(error.message()).contains("at most 40"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''         | must not be empty",
            "desk-1     | lower-case letters",
            "Desk-1     | lower-case letters",
            "ÄPFEL      | must start with A-Z or 0-9 and contain only",
            "-DESK      | must start with A-Z or 0-9",
            ".DESK      | must start with A-Z or 0-9",
            "DESK 1     | contain only A-Z, 0-9",
            "DESK/1     | contain only A-Z, 0-9" })
    void refusesSkusOutsideTheAllowedAlphabetWithAClearMessage(String sku, String message) {
        assertThat(ProductRules.checkSku(sku)).singleElement().satisfies(error -> {
            assertThat(error.field()).containsExactly("input", "sku");
            assertThat(error.message()).contains(message);
        });
    }

    @Test
    void countsNameAndDescriptionLengthsInCharactersNotUtf16Units() {
        assertThat(ProductRules.checkName("😀".repeat(200))).isEmpty();
        assertThat(ProductRules.checkName("😀".repeat(201))).singleElement()
                .satisfies(error -> assertThat(error.message()).contains("at most 200"));
        assertThat(ProductRules.checkDescription("😀".repeat(2000))).isEmpty();
        assertThat(ProductRules.checkDescription("😀".repeat(2001))).singleElement()
                .satisfies(error -> assertThat(error.message()).contains("at most 2000"));
    }

    @Test
    void allowsLineBreaksAndTabsInDescriptionsButNoOtherControlOrFormatCharacter() {
        assertThat(ProductRules.checkDescription("Solid walnut.\nOiled, not lacquered.\r\n\tSize: 120 cm")).isEmpty();
        assertThat(ProductRules.checkDescription("")).isEmpty();
        assertThat(ProductRules.checkDescription("nul\0here")).singleElement().satisfies(error -> {
            assertThat(error.field()).containsExactly("input", "description");
            assertThat(error.message()).contains("control characters (U+0000");
        });
        assertThat(ProductRules.checkDescription("reads \u202Ebackwards")).singleElement()
                .satisfies(error -> assertThat(error.message()).contains("format characters", "(U+202E"));
        assertThat(ProductRules.checkDescription("x\ud800y")).singleElement()
                .satisfies(error -> assertThat(error.message()).contains("lone surrogate"));
    }

    @Test
    void appliesTheTextRuleToSkusAndNames() {
        assertThat(ProductRules.checkSku("DESK\u0000")).singleElement()
                .satisfies(error -> assertThat(error.message()).contains("control characters"));
        assertThat(ProductRules.checkSku("DESK\u200B")).singleElement()
                .satisfies(error -> assertThat(error.message()).contains("format characters"));
        assertThat(ProductRules.checkName("\u200B")).singleElement()
                .satisfies(error -> assertThat(error.field()).containsExactly("input", "name"));
        assertThat(ProductRules.checkName("Desk\u202Eksed")).hasSize(1);
    }

    @Test
    void boundsStockQuantities() {
        assertThat(ProductRules.checkInitialStock(0)).isEmpty();
        assertThat(ProductRules.checkInitialStock(1_000_000_000)).isEmpty();
        assertThat(fields(ProductRules.checkInitialStock(-1))).containsExactly(List.of("input", "initialStock"));
        assertThat(ProductRules.checkInitialStock(1_000_000_001)).hasSize(1);
        assertThat(ProductRules.checkRestockQuantity(1)).isEmpty();
        assertThat(ProductRules.checkRestockQuantity(1_000_000_000)).isEmpty();
        assertThat(fields(ProductRules.checkRestockQuantity(0))).containsExactly(List.of("input", "quantity"));
        assertThat(ProductRules.checkRestockQuantity(1_000_000_001)).hasSize(1);
    }

    private static List<List<String>> fields(List<UserError> errors) {
        return errors.stream().map(UserError::field).toList();
    }
}
