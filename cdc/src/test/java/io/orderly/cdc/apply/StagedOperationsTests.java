package io.orderly.cdc.apply;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StagedOperationsTests {

    @Test
    void groupsNeighbouringWritesOfOneKindToOneIndexAndKeepsTheirOrder() {
        StagedOperations operations = new StagedOperations();
        operations.removeFromIndex("customers", "old");
        operations.addToIndex("customers", "a");
        operations.addToIndex("customers", "b");
        operations.addToIndex("products", "c");
        operations.removeFromIndex("products", "d");
        operations.addToIndex("customers", "d");

        assertThat(operations.encoded()).containsExactly(
                "[\"zrem\",\"customers\",\"old\"]",
                "[\"zadd\",\"customers\",\"a\",\"b\"]",
                "[\"zadd\",\"products\",\"c\"]",
                "[\"zrem\",\"products\",\"d\"]",
                "[\"zadd\",\"customers\",\"d\"]");
    }

    @Test
    void startsANewGroupOnceOneIsFull() {
        StagedOperations operations = new StagedOperations();
        IntStream.range(0, StagedOperations.GROUP + 1).forEach(i -> operations.addToIndex("customers", "m" + i));

        assertThat(operations.encoded()).hasSize(2).last().isEqualTo("[\"zadd\",\"customers\",\"m" + StagedOperations.GROUP + "\"]");
    }
}
