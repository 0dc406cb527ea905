package io.orderly.cdc.readmodel;

import java.math.BigDecimal;

/** One line of an {@link OrderDocument}: the product as it was when the order was placed. */
public record OrderLineDocument(
        int lineNo,
        String productId,
        String sku,
        String name,
        BigDecimal unitPrice,
        int quantity,
        BigDecimal lineTotal,
        long lsn) {
}
