package io.orderly.command;

/**
 * What a command that may be a retry did in its transaction: made its write {@link Now now}, or
 * found it made {@link Earlier earlier} by a transaction that has committed. The consistency token
 * names the transaction that made the write, so {@link CommandTransactions} needs to know which.
 */
public sealed interface Written<T> {

    T value();

    static <T> Written<T> now(T value) {
        return new Now<>(value);
    }

    /**
     * @param transactionId the 32-bit id of a committed transaction that wrote {@code value}, e.g.
     *     the {@code xmin} of its row ({@code SELECT xmin::text::bigint ...}). That is the writing
     *     transaction's own id because commands use no savepoints (a subtransaction has an id of
     *     its own, which logical decoding never reports). If the row has changed since, xmin names
     *     the later transaction, whose commit includes the earlier write as well.
     */
    static <T> Written<T> earlier(T value, long transactionId) {
        return new Earlier<>(value, transactionId);
    }

    record Now<T>(T value) implements Written<T> {
    }

    record Earlier<T>(T value, long transactionId) implements Written<T> {
    }
}
