package io.orderly.cdc.readmodel;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ConsistencyTokenTests {

    @Test
    void readsAsLsnAtTxId() {
        assertThat(new ConsistencyToken(0x1A2B3C8L, 771)).hasToString("0/1A2B3C8@771");
    }

    @Test
    void parsesWhatItPrints() {
        var token = new ConsistencyToken(0x16_B374D848L, 4_000_000_000L);

        assertThat(ConsistencyToken.parse(token.toString())).isEqualTo(token);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "0/1A2B3C8", "0/1A2B3C8@", "@771", "1A2B3C8@771", "0/1A2B3C8@abc", "0/ZZ@771",
            "FFFFFFFF/FFFFFFFF@771", "80000000/0@771", "0/1A2B3C8@4294967296", "0/1A2B3C8@-1" })
    void rejectsMalformedToken(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ConsistencyToken.parse(text))
                .withMessageContaining("malformed consistency token");
    }

    @Test
    void aTokenAtTheHighestPositionIsCoveredByNoRealWatermark() {
        var highest = ConsistencyToken.parse("7FFFFFFF/FFFFFFFF@771");

        assertThat(highest.position()).isEqualTo(Long.MAX_VALUE);
        assertThat(highest.isCoveredBy(watermarkAt(0x16_B374D848L))).isFalse();
        assertThat(highest.isCoveredBy(Watermark.NONE)).isFalse();
    }

    @Test
    void isCoveredByWatermarkAtOrBeyondItsPosition() {
        var token = new ConsistencyToken(1000, 771);

        assertThat(token.isCoveredBy(watermarkAt(999))).isFalse();
        assertThat(token.isCoveredBy(watermarkAt(1000))).isTrue();
        assertThat(token.isCoveredBy(watermarkAt(1001))).isTrue();
        assertThat(token.isCoveredBy(Watermark.NONE)).isFalse();
    }

    private static Watermark watermarkAt(long position) {
        return new Watermark(position, 1, Instant.EPOCH, Instant.EPOCH);
    }
}
