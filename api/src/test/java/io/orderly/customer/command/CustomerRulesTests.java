package io.orderly.customer.command;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class CustomerRulesTests {

    @Test
    void acceptsOrdinaryEmailsAndNames() {
        assertThat(CustomerRules.checkEmail("ada.lovelace+orders@example.co.uk")).isEmpty();
        assertThat(CustomerRules.checkName("Ada Lovelace")).isEmpty();
        assertThat(CustomerRules.checkName("Zoë Ñúñez-O'Brien")).isEmpty();
    }

    @Test
    void countsCharactersNotUtf16Units() {
        String hundredEmoji = "😀".repeat(100);
        assertThat(CustomerRules.checkName(hundredEmoji)).isEmpty();
        assertThat(CustomerRules.checkName(hundredEmoji + "😀")).singleElement()
                .satisfies(error -> assertThat(error.message()).contains("at most 100"));
    }

    @Test
    void namesTheFieldAtFault() {
        assertThat(CustomerRules.checkEmail("no-at-sign")).singleElement()
                .satisfies(error -> assertThat(error.field()).containsExactly("input", "email"));
        assertThat(CustomerRules.checkName("")).singleElement()
                .satisfies(error -> assertThat(error.field()).containsExactly("input", "name"));
    }

    @Test
    void refusesNonBreakingAndOtherUnicodeWhitespaceAroundNames() {
        assertThat(CustomerRules.checkName("\u2003Ada")).isNotEmpty();
        assertThat(CustomerRules.checkEmail("ada\u2003@example.com")).isNotEmpty();
    }

    @Test
    void normalizesEmailsSoThatLookAlikesCompareEqual() {
        assertThat(CustomerRules.normalizedEmail("Ada.Lovelace@Example.COM")).isEqualTo("ada.lovelace@example.com");
        assertThat(CustomerRules.normalizedEmail("\uFF21\uFF24\uFF21@\uFF45xample.com")).isEqualTo("ada@example.com");
        assertThat(CustomerRules.normalizedEmail("ada\uFF20example.com")).isEqualTo("ada@example.com");
        assertThat(CustomerRules.normalizedEmail("\uFB03@example.com")).isEqualTo("ffi@example.com");
    }

    @Test
    void checksTheNormalizedEmail() {
        assertThat(CustomerRules.checkEmail("ada\uFF20example.com")).isEmpty();
        assertThat(CustomerRules.checkEmail("ada\u00A0lovelace@example.com")).singleElement()
                .satisfies(error -> assertThat(error.message()).contains("must not contain whitespace"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ada@example.com\u200B | invisible format characters | U+200B at character 16",
            "ada\u202E@example.com | invisible format characters | U+202E at character 4",
            "ada\u0000@example.com | control characters          | U+0000 at character 4",
            "x\ud800y@example.com  | lone surrogate              | U+D800 at character 2" })
    void refusesEmailsWithLoneSurrogatesControlOrFormatCharacters(String email, String problem, String found) {
        assertThat(CustomerRules.checkEmail(email)).singleElement().satisfies(error -> {
            assertThat(error.field()).containsExactly("input", "email");
            assertThat(error.message()).startsWith("email ").contains(problem).endsWith("(" + found + ")");
        });
    }

    @Test
    void refusesANameMadeOnlyOfZeroWidthSpaces() {
        assertThat(CustomerRules.checkName("\u200B")).singleElement()
                .satisfies(error -> assertThat(error.message()).contains("invisible format characters"));
        assertThat(CustomerRules.checkName("\u200B\u200B\u200B")).hasSize(1);
        assertThat(CustomerRules.checkName("Ada\u200BLovelace")).hasSize(1);
    }
}
