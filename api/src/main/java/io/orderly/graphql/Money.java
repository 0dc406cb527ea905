package io.orderly.graphql;

import java.math.BigDecimal;

/** The GraphQL {@code Money}: an exact decimal amount as text, and its currency. */
public record Money(String amount, String currency) {

    public static Money of(BigDecimal amount, String currency) {
        return new Money(amount.setScale(2).toPlainString(), currency);
    }
}
