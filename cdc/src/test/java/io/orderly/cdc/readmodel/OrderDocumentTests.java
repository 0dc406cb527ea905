package io.orderly.cdc.readmodel;

import java.math.BigDecimal;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** An order document built from its header and lines, in whatever order they arrive. */
class OrderDocumentTests {

    private static final Instant PLACED = Instant.parse("2026-11-20T10:00:00Z");

    @Test
    void lineReplacesTheOneWithItsNumberAndLinesStayInNumberOrder() {
        OrderDocument order = OrderDocument.stub("o1")
                .withLine(line(2, 1), 10)
                .withLine(line(1, 3), 11)
                .withLine(line(2, 5), 12);

        assertThat(order.lines()).extracting(OrderLineDocument::lineNo, OrderLineDocument::quantity)
                .containsExactly(tuple(1, 3), tuple(2, 5));
        assertThat(order.lsn()).isEqualTo(12);
    }

    @Test
    void removedLineLeavesTheOthers() {
        OrderDocument order = OrderDocument.stub("o1").withLine(line(1, 1), 10).withLine(line(2, 1), 11);

        assertThat(order.withoutLine(1, 12).lines()).extracting(OrderLineDocument::lineNo).containsExactly(2);
    }

    @Test
    void linesWithoutHeaderAreNeitherCompleteNorEmpty() {
        OrderDocument linesOnly = OrderDocument.stub("o1").withLine(line(1, 1), 10);

        assertThat(linesOnly.isComplete()).isFalse();
        assertThat(linesOnly.counts()).isFalse();
        assertThat(linesOnly.isEmpty()).isFalse();
        assertThat(linesOnly.withoutLine(1, 11).isEmpty()).isTrue();
    }

    @Test
    void headerCompletesTheOrderAndCancellingStopsItCounting() {
        OrderDocument placed = OrderDocument.stub("o1").withLine(line(1, 1), 10).withHeader("c1", "PLACED", new BigDecimal("10.00"),
                PLACED, PLACED, 1, 11);

        assertThat(placed.isComplete()).isTrue();
        assertThat(placed.counts()).isTrue();
        assertThat(placed.withHeader("c1", OrderDocument.CANCELLED, new BigDecimal("10.00"), PLACED, PLACED, 2, 12).counts())
                .isFalse();
    }

    @Test
    void removedHeaderKeepsTheLinesUntilTheyGoToo() {
        OrderDocument withoutHeader = OrderDocument.stub("o1").withLine(line(1, 1), 10)
                .withHeader("c1", "PLACED", new BigDecimal("10.00"), PLACED, PLACED, 1, 11)
                .withoutHeader(12);

        assertThat(withoutHeader.isComplete()).isFalse();
        assertThat(withoutHeader.lines()).hasSize(1);
        assertThat(withoutHeader.isEmpty()).isFalse();
    }

    @Test
    void indexMemberOrdersByPlacementTime() {
        OrderDocument earlier = OrderDocument.stub("b").withHeader("c1", "PLACED", BigDecimal.ONE, PLACED, PLACED, 1, 1);
        OrderDocument later = OrderDocument.stub("a").withHeader("c1", "PLACED", BigDecimal.ONE, PLACED.plusMillis(1), PLACED, 1, 1);

        assertThat(earlier.indexMember()).isLessThan(later.indexMember());
    }

    private static OrderLineDocument line(int lineNo, int quantity) {
        BigDecimal unitPrice = new BigDecimal("10.00");
        return new OrderLineDocument(lineNo, "p" + lineNo, "SKU-" + lineNo, "Product " + lineNo, unitPrice, quantity,
                unitPrice.multiply(BigDecimal.valueOf(quantity)), 10);
    }
}
