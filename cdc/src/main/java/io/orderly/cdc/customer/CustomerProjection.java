package io.orderly.cdc.customer;

import java.util.Optional;
import java.util.Set;

import io.orderly.cdc.apply.ReadModelBatch;
import io.orderly.cdc.apply.RowProjection;
import io.orderly.cdc.assembly.Row;
import io.orderly.cdc.readmodel.CustomerDocument;
import io.orderly.cdc.readmodel.ReadModelKeys;

/**
 * Projects the {@code customers} table into one {@link CustomerDocument} per customer and the
 * registration-order index, and the lookup from a bound subject to its customer. The order statistics of a document belong to the order projection and
 * are kept, not recomputed, when the customer row changes.
 */
public final class CustomerProjection implements RowProjection {

    @Override
    public Set<String> tables() {
        return Set.of("customers");
    }

    @Override
    public String documentKey(Row row) {
        return ReadModelKeys.customer(row.string("id"));
    }

    @Override
    public void upsert(Row row, ReadModelBatch batch) {
        String id = row.string("id");
        String key = documentKey(row);
        Optional<CustomerDocument> existing = batch.document(key, CustomerDocument.class);
        if (!batch.mayChange(key, existing)) {
            return;
        }
        CustomerDocument statistics = existing.orElse(CustomerDocument.stub(id));
        CustomerDocument customer = new CustomerDocument(
                id,
                row.string("email"),
                row.string("name"),
                row.nullableString("subject"),
                row.integer("version"),
                statistics.orderCount(),
                statistics.lifetimeValue(),
                statistics.lastOrderAt(),
                row.instant("created_at"),
                row.instant("updated_at"),
                batch.position());
        existing.filter(CustomerDocument::isComplete)
                .map(CustomerDocument::indexMember)
                .filter(member -> !member.equals(customer.indexMember()))
                .ifPresent(member -> batch.removeFromIndex(ReadModelKeys.CUSTOMERS, member));
        batch.putDocument(key, customer);
        batch.addToIndex(ReadModelKeys.CUSTOMERS, customer.indexMember());
        if (customer.subject() != null) {
            batch.putValue(ReadModelKeys.customerBySubject(customer.subject()), id);
        }
    }

    @Override
    public void remove(Row row, ReadModelBatch batch) {
        String key = documentKey(row);
        Optional<CustomerDocument> existing = batch.document(key, CustomerDocument.class);
        if (existing.isPresent() && batch.mayChange(key, existing)) {
            batch.deleteDocument(key, CustomerDocument.class);
            if (existing.get().isComplete()) {
                batch.removeFromIndex(ReadModelKeys.CUSTOMERS, existing.get().indexMember());
            }
            if (existing.get().subject() != null) {
                batch.deleteKey(ReadModelKeys.customerBySubject(existing.get().subject()));
            }
        }
    }
}
