package io.orderly.query;

import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.identity.Caller;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * What of the customers' data a caller may read, decided from the read models alone: staff see
 * everything; a customer sees the customer bound to its subject (found through the projector's
 * subject lookup) and that customer's orders; anyone else sees none of it.
 */
@Component
public class ReadAccess {

    private final ReadModelReader reader;

    ReadAccess(ReadModelReader reader) {
        this.reader = reader;
    }

    public Mono<Visibility> of(Caller caller) {
        if (caller.isStaff()) {
            return Mono.just(Visibility.ALL);
        }
        if (!caller.isCustomer()) {
            return Mono.just(Visibility.NONE);
        }
        return ownCustomerId(caller.customerSubject()).map(Visibility::customer).defaultIfEmpty(Visibility.NONE);
    }

    /** The id of the customer bound to this subject, if one is. */
    public Mono<String> ownCustomerId(String subject) {
        return reader.value(ReadModelKeys.customerBySubject(subject));
    }

    /** Whose data a caller may read: every customer's, or one customer's (or none, when {@code customerId} is null). */
    public record Visibility(boolean all, @Nullable String customerId) {

        public static final Visibility ALL = new Visibility(true, null);
        public static final Visibility NONE = new Visibility(false, null);

        static Visibility customer(String customerId) {
            return new Visibility(false, customerId);
        }

        /** Whether data belonging to this customer may be read. */
        public boolean sees(@Nullable String owner) {
            return all || (customerId != null && customerId.equals(owner));
        }
    }
}
