package io.orderly.cdc.readmodel;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WatermarkTests {

    @Test
    void survivesHashRoundTrip() {
        var watermark = new Watermark(0x16_B374D848L, 771,
                Instant.parse("2025-01-02T03:04:05.123456Z"), Instant.parse("2025-01-02T03:04:05.2Z"));

        assertThat(Watermark.fromHash(watermark.toHash())).isEqualTo(watermark);
    }

    @Test
    void readsEmptyHashAsNone() {
        assertThat(Watermark.fromHash(Map.of())).isEqualTo(Watermark.NONE);
    }

    @Test
    void existsOnlyOnceAPositionIsRecorded() {
        assertThat(Watermark.NONE.exists()).isFalse();
        assertThat(new Watermark(1, 1, Instant.EPOCH, Instant.EPOCH).exists()).isTrue();
    }
}
