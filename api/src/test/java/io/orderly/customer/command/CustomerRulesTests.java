package io.orderly.customer.command;

import org.junit.jupiter.api.Test;

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
}
