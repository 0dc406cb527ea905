package io.orderly.cdc;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.apply.TransactionApplier;
import io.orderly.cdc.assembly.RowChange;
import io.orderly.cdc.assembly.SourceTransaction;
import io.orderly.cdc.customer.CustomerProjection;
import io.orderly.cdc.order.OrderProjection;
import io.orderly.cdc.product.ProductProjection;
import io.orderly.cdc.readmodel.ReadModelDocument;
import io.orderly.cdc.readmodel.ReadModelJson;

/**
 * Every projection applied to a database of the {@link TestRedis}, one committed transaction at a
 * time at increasing positions, as the projector applies them.
 */
public final class ProjectedRedis implements AutoCloseable {

    private static final Instant COMMITTED_AT = Instant.parse("2026-11-26T09:00:00Z");

    private final TestRedis.Connection database;
    private final TransactionApplier applier;
    private long position = 0;

    public ProjectedRedis(int database) {
        this.database = TestRedis.connect(database);
        this.applier = new TransactionApplier(this.database.connection(),
                List.of(new CustomerProjection(), new ProductProjection(), new OrderProjection()),
                Clock.fixed(COMMITTED_AT, ZoneOffset.UTC), 1000, true);
        this.applier.open();
    }

    /** Applies the changes as one transaction, committed after every earlier one. */
    public SourceTransaction commit(RowChange... changes) {
        position += 100;
        SourceTransaction transaction = SourceTransaction.committed(position, position, COMMITTED_AT.plusMillis(position), List.of(changes));
        applier.apply(transaction);
        return transaction;
    }

    /** Applies a transaction again, as a projector resuming from an older offset would. */
    public boolean replay(SourceTransaction transaction) {
        return applier.apply(transaction);
    }

    public <T extends ReadModelDocument> Optional<T> document(String key, Class<T> type) {
        return Optional.ofNullable(redis().get(key)).map(json -> ReadModelJson.read(json, type));
    }

    public RedisCommands<String, String> redis() {
        return database.sync();
    }

    @Override
    public void close() {
        database.close();
    }
}
