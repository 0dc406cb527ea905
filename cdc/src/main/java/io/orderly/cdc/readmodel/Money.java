package io.orderly.cdc.readmodel;

import java.math.BigDecimal;

/** Amounts in the read models: exact decimals with two places. */
public final class Money {

    public static final BigDecimal ZERO = new BigDecimal("0.00");

    private Money() {
    }

    /** Price in cents, for numeric ordering in indexes. */
    public static long cents(BigDecimal amount) {
        return amount.movePointRight(2).longValueExact();
    }
}
