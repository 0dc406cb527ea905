package io.orderly.graphql;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.graphql.execution.ErrorType;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** A result written by {@link ResultJson} reads as the mapper would have written it. */
class ResultJsonTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void writesWhatGraphQlJavaBuildsAndAnythingElseAsTheMapperDoes() {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("id", "o-1");
        order.put("status", "PAID");
        order.put("lineCount", 3);
        order.put("orderCount", 12L);
        order.put("ratio", 0.25);
        order.put("single", 0.1f);
        order.put("total", new BigDecimal("12.50"));
        order.put("big", new BigInteger("123456789012345678901234567890"));
        order.put("paid", true);
        order.put("note", null);
        order.put("lines", List.of(Map.of("name", "Tea \"Sencha\" ü ✓"), new ArrayList<>()));
        order.put("tags", Arrays.asList("a", null));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("data", Map.of("order", order));
        Map<Object, Object> oddKeys = new LinkedHashMap<>();
        oddKeys.put(ErrorType.NOT_FOUND, 1);
        order.put("oddKeys", oddKeys);
        result.put("errors", List.of(Map.of("message", "x", "extensions", Map.of("classification", ErrorType.BAD_REQUEST,
                "at", Instant.parse("2026-12-01T10:00:00Z")))));

        ByteArrayOutputStream written = new ByteArrayOutputStream();
        try (JsonGenerator generator = JSON.createGenerator(written)) {
            ResultJson.write(generator, result);
        }

        assertThat(written.toString(StandardCharsets.UTF_8)).isEqualTo(JSON.writeValueAsString(result));
        assertThat(JSON.readTree(written.toByteArray()).path("data").path("order").path("total").decimalValue())
                .isEqualByComparingTo("12.50");
    }
}
