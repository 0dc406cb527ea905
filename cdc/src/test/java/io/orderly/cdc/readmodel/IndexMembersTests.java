package io.orderly.cdc.readmodel;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IndexMembersTests {

    @Test
    void sortsMembersInTimeOrder() {
        List<String> inTimeOrder = List.of(
                IndexMembers.timeOrdered(Instant.EPOCH, "z"),
                IndexMembers.timeOrdered(Instant.ofEpochSecond(0, 999_000), "y"),
                IndexMembers.timeOrdered(Instant.ofEpochSecond(0, 1_000_000), "x"),
                IndexMembers.timeOrdered(Instant.ofEpochSecond(9), "w"),
                IndexMembers.timeOrdered(Instant.ofEpochSecond(10), "v"),
                IndexMembers.timeOrdered(Instant.parse("2025-01-02T03:04:05.123456Z"), "u"));

        assertThat(inTimeOrder).isSorted();
    }

    @Test
    void ordersMembersOfTheSameTimeById() {
        Instant time = Instant.parse("2025-01-02T03:04:05.123456Z");

        assertThat(List.of(IndexMembers.timeOrdered(time, "a-1"), IndexMembers.timeOrdered(time, "b-2"))).isSorted();
    }

    @Test
    void recoversTheId() {
        String member = IndexMembers.timeOrdered(Instant.parse("2025-01-02T03:04:05.123456Z"),
                "0b7c1c9e-5f0a-4c2e-9d5e-2f1d3c4b5a69");

        assertThat(IndexMembers.id(member)).isEqualTo("0b7c1c9e-5f0a-4c2e-9d5e-2f1d3c4b5a69");
    }

    @Test
    void recoversTheIdAfterASortKeyThatContainsTheSeparator() {
        assertThat(IndexMembers.id(IndexMembers.textOrdered("pipes | and | bars", "0b7c1c9e"))).isEqualTo("0b7c1c9e");
    }

    @Test
    void padsNumbersToNineteenDigits() {
        assertThat(IndexMembers.numberOrdered(0, "a")).isEqualTo("0000000000000000000|a");
        assertThat(IndexMembers.numberOrdered(Long.MAX_VALUE, "a")).isEqualTo(Long.MAX_VALUE + "|a");
        assertThat(IndexMembers.numberOrdered(-1, "a")).isEqualTo(String.format("%019d|a", -1));
    }

    @Test
    void ordersNumbersNumerically() {
        assertThat(IndexMembers.numberOrdered(9, "b")).isLessThan(IndexMembers.numberOrdered(10, "a"));
    }
}
