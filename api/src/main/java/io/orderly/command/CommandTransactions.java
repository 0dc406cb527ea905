package io.orderly.command;

import java.util.function.Supplier;

import io.orderly.cdc.readmodel.ConsistencyToken;
import io.orderly.cdc.readmodel.Lsn;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a command's writes in one PostgreSQL transaction and identifies the commit with a
 * {@link ConsistencyToken}: the transaction id, read inside the transaction, and the WAL insert
 * position read right after the commit (at or past the commit record).
 */
@Component
public class CommandTransactions {

    private final TransactionTemplate transactions;
    private final JdbcClient jdbc;

    CommandTransactions(TransactionTemplate transactions, JdbcClient jdbc) {
        this.transactions = transactions;
        this.jdbc = jdbc;
    }

    public <T> CommandResult<T> execute(Supplier<T> command) {
        return executeIdempotent(() -> Written.now(command.get()));
    }

    /**
     * Like {@link #execute}, for a command that may find its write already made by an earlier
     * transaction (a retried request). Such a retry writes nothing, so its own transaction never
     * reaches the read models, and asking for its id would only assign one: the token names the
     * earlier transaction instead. That transaction has committed (the command saw its row), so the
     * projector has applied it or will, and the insert position read after this transaction is at
     * or past its commit record: the token is covered once the earlier write is in the read models.
     */
    public <T> CommandResult<T> executeIdempotent(Supplier<Written<T>> command) {
        Committed<T> committed;
        try {
            committed = transactions.execute(status -> {
                Written<T> written = command.get();
                long txId = written instanceof Written.Earlier<T> earlier ? earlier.transactionId() : currentTransactionId();
                return new Committed<>(written.value(), txId);
            });
        }
        catch (CommandRejectedException e) {
            return new CommandResult.Rejected<>(e.errors());
        }
        if (committed == null) {
            throw new IllegalStateException("command returned no transaction");
        }
        return new CommandResult.Accepted<>(committed.value(), new ConsistencyToken(insertPosition(), committed.txId()));
    }

    /** The 32-bit transaction id, as logical decoding reports it, assigning one if needed. */
    private long currentTransactionId() {
        return jdbc.sql("SELECT (pg_current_xact_id()::text::numeric % 4294967296)::bigint")
                .query(Long.class)
                .single();
    }

    private long insertPosition() {
        return Lsn.parse(jdbc.sql("SELECT pg_current_wal_insert_lsn()::text").query(String.class).single());
    }

    private record Committed<T>(T value, long txId) {
    }
}
