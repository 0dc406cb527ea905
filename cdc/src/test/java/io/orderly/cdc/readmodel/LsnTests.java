package io.orderly.cdc.readmodel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LsnTests {

    @Test
    void formatsHighAndLowHalvesInUpperCaseHex() {
        assertThat(Lsn.format(0x16_B374D848L)).isEqualTo("16/B374D848");
        assertThat(Lsn.format(0)).isEqualTo("0/0");
    }

    @Test
    void parsesWhatItFormats() {
        assertThat(Lsn.parse("16/B374D848")).isEqualTo(0x16_B374D848L);
        assertThat(Lsn.parse("16/b374d848")).isEqualTo(0x16_B374D848L);
        assertThat(Lsn.parse(Lsn.format(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = { "FFFFFFFF/FFFFFFFF", "80000000/0", "ffffffff/0" })
    void refusesPositionsThatALongWouldReadAsNegative(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Lsn.parse(text))
                .withMessageContaining("positions go up to 7FFFFFFF/FFFFFFFF");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "16B374D848", "/B374D848", "16/", "16/XYZ", "G/0", "100000000/0", "0/100000000", "1/2/3" })
    void rejectsMalformedText(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Lsn.parse(text))
                .withMessageContaining("not a log sequence number");
    }
}
