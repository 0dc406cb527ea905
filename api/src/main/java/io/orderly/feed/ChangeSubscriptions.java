package io.orderly.feed;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import graphql.schema.DataFetchingEnvironment;
import io.orderly.cdc.readmodel.EntityType;
import io.orderly.cdc.readmodel.FeedEntry;
import io.orderly.identity.Caller;
import io.orderly.query.DocumentsById;
import io.orderly.query.ReadAccess;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The subscriptions over the change feed: every change, or the changes of one order, customer or
 * product, each live or resumed from a cursor ({@code after}: an event's, or a query response's
 * {@code extensions.feedCursor}). Every event is filtered by what the caller may see: products are public; a customer
 * receives only the events of its own customer and that customer's orders.
 */
@Controller
class ChangeSubscriptions {

    private final FeedReader feed;
    private final ReadAccess access;

    ChangeSubscriptions(FeedReader feed, ReadAccess access) {
        this.feed = feed;
        this.access = access;
    }

    /** Every change of the given types. */
    @SubscriptionMapping
    Flux<ChangeView> changes(@Argument @Nullable List<EntityType> types, @Argument @Nullable String after,
            @ContextValue Caller caller,
            DataFetchingEnvironment environment) {
        Set<EntityType> wanted = types == null || types.isEmpty() ? EnumSet.allOf(EntityType.class) : EnumSet.copyOf(types);
        return changesAfter(after, entry -> wanted.contains(entry.type()), caller, environment);
    }

    @SubscriptionMapping
    Flux<ChangeView> orderChanged(@Argument String id, @Argument @Nullable String after, @ContextValue Caller caller,
            DataFetchingEnvironment environment) {
        return changesAfter(after, entry -> entry.type() == EntityType.ORDER && entry.id().equals(id), caller, environment);
    }

    @SubscriptionMapping
    Flux<ChangeView> customerOrderChanged(@Argument String customerId, @Argument @Nullable String after, @ContextValue Caller caller,
            DataFetchingEnvironment environment) {
        return changesAfter(after, entry -> entry.type() == EntityType.ORDER && customerId.equals(entry.customerId()), caller, environment);
    }

    @SubscriptionMapping
    Flux<ChangeView> productChanged(@Argument String id, @Argument @Nullable String after, @ContextValue Caller caller,
            DataFetchingEnvironment environment) {
        return changesAfter(after, entry -> entry.type() == EntityType.PRODUCT && entry.id().equals(id), caller, environment);
    }

    /**
     * The wanted changes the caller may see: with {@code after}, first every retained one after that
     * cursor, then live with neither gap nor duplicate ({@link FeedReader#after}); without, live.
     * Each event reads the documents it names afresh, not as an earlier event of the subscription
     * loaded them.
     */
    private Flux<ChangeView> changesAfter(@Nullable String after, Predicate<FeedEntry> wanted, Caller caller,
            DataFetchingEnvironment environment) {
        return changesAfter(after, wanted, caller).doOnNext(change -> DocumentsById.forgetLoaded(environment));
    }

    private Flux<ChangeView> changesAfter(@Nullable String after, Predicate<FeedEntry> wanted, Caller caller) {
        if (after == null) {
            // The live entries are of the epoch the feed reader follows; it ends them when that changes.
            return Flux.defer(() -> {
                String epoch = feed.lastRead().epoch();
                return visible(feed.live().filter(wanted), caller).map(entry -> ChangeView.of(entry, epoch));
            });
        }
        return Flux.defer(() -> {
            FeedCursor cursor = FeedCursor.decode(after);
            return visible(feed.after(cursor).filter(wanted), caller).map(entry -> ChangeView.of(entry, cursor.epoch()));
        });
    }

    /** The entries the caller may see: all for staff; products and its own customer's for a customer. */
    private Flux<FeedEntry> visible(Flux<FeedEntry> entries, Caller caller) {
        if (caller.isStaff()) {
            return entries;
        }
        if (!caller.isCustomer()) {
            return entries.filter(entry -> entry.type() == EntityType.PRODUCT);
        }
        String subject = caller.customerSubject();
        return access.ownCustomerId(subject).map(Optional::of).defaultIfEmpty(Optional.empty()).flatMapMany(found -> {
            AtomicReference<@Nullable String> own = new AtomicReference<>(found.orElse(null));
            return entries.filterWhen(entry -> {
                if (entry.type() == EntityType.PRODUCT) {
                    return Mono.just(true);
                }
                String known = own.get();
                if (known == null && entry.type() == EntityType.CUSTOMER && entry.operation() == FeedEntry.Operation.CREATED) {
                    // The caller may register while subscribed: its customer becomes visible from its creation on.
                    return access.ownCustomerId(subject)
                            .doOnNext(own::set)
                            .map(id -> id.equals(entry.customerId()))
                            .defaultIfEmpty(false);
                }
                return Mono.just(known != null && known.equals(entry.customerId()));
            });
        });
    }
}
