package io.orderly.identity;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The firewall's rule for header values: Spring Security's own, with printable ASCII passed faster. */
class HeaderFirewallTests {

    @Test
    void allowsWhatTheStrictFirewallAllows() {
        assertThat(HeaderFirewall.ALLOWED_VALUES)
                .accepts("Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl", "", "application/json; charset=utf-8",
                        "Müller", "日本語", "tab\there");
    }

    @Test
    void refusesControlAndUnassignedCharactersAsTheStrictFirewallDoes() {
        assertThat(HeaderFirewall.ALLOWED_VALUES)
                .rejects("Bearer abc\u0000", "line\nbreak", "carriage\rreturn", "del\u007f", "unassigned\u0378", "Müller\u0000");
    }
}
