package io.orderly.command;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class TextTests {

    @ParameterizedTest
    @ValueSource(strings = { "", "Ada Lovelace", "Zoë Ñúñez-O'Brien", "😀 emoji outside the BMP", "עברית", "漢字", "a b" })
    void acceptsOrdinaryTextInAnyScript(String text) {
        assertThat(Text.problem("name", text)).isEmpty();
        assertThat(Text.multilineProblem("description", text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "x\ud800y        | must be valid Unicode: it has a lone surrogate | U+D800 at character 2",
            "x\udc00         | must be valid Unicode: it has a lone surrogate | U+DC00 at character 2",
            "\udbff\udbffz   | must be valid Unicode: it has a lone surrogate | U+DBFF at character 1",
            "a\u0000b        | must not contain control characters           | U+0000 at character 2",
            "a\u0007b        | must not contain control characters           | U+0007 at character 2",
            "a\u007Fb        | must not contain control characters           | U+007F at character 2",
            "a\u009Bb        | must not contain control characters           | U+009B at character 2",
            "😀\u202Etxt.exe | must not contain invisible format characters  | U+202E at character 2",
            "\u200B          | must not contain invisible format characters  | U+200B at character 1",
            "ada\u200D       | must not contain invisible format characters  | U+200D at character 4",
            "a\uFEFFda       | must not contain invisible format characters  | U+FEFF at character 2",
            "tag\uDB40\uDC41 | must not contain invisible format characters  | U+E0041 at character 4" })
    void refusesLoneSurrogatesControlAndFormatCharactersNamingTheFirstOne(String text, String problem, String found) {
        assertThat(Text.problem("name", text)).hasValueSatisfying(message -> assertThat(message)
                .startsWith("name " + problem).endsWith("(" + found + ")"));
        assertThat(Text.multilineProblem("description", text)).hasValueSatisfying(message -> assertThat(message)
                .startsWith("description " + problem).endsWith("(" + found + ")"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "line\nbreak", "windows\r\nline", "a\ttab" })
    void allowsLineBreaksAndTabsInMultilineTextOnly(String text) {
        assertThat(Text.multilineProblem("description", text)).isEmpty();
        assertThat(Text.problem("name", text)).hasValueSatisfying(problem -> assertThat(problem).contains("control characters"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "a\u0000b", "a\u000Bb", "a\u0085b", "a\u202Eb", "a\u200Bb" })
    void refusesEveryOtherControlOrFormatCharacterInMultilineText(String text) {
        assertThat(Text.multilineProblem("description", text)).isPresent();
    }
}
