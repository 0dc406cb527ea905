package io.orderly.cdc.source;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisOffsetBackingStoreTests {

    @Test
    void readsTheFurthestPositionFromOffsetsAsTheEngineWritesThem() {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "false"), false);
        String streaming = new String(converter.fromConnectData("orderly", null,
                Map.of("lsn", 3_000L, "lsn_proc", 3_200L, "lsn_commit", 3_100L, "txId", 771L, "ts_usec", 1L)),
                StandardCharsets.UTF_8);
        String snapshot = new String(converter.fromConnectData("orderly", null,
                Map.of("lsn", 2_000L, "txId", 700L, "snapshot", true, "last_snapshot_record", true)), StandardCharsets.UTF_8);

        assertThat(RedisOffsetBackingStore.furthestPosition(List.of(snapshot, streaming))).isEqualTo(3_200L);
    }

    @Test
    void hasNoPositionWithoutOffsets() {
        assertThat(RedisOffsetBackingStore.furthestPosition(List.of())).isZero();
    }
}
