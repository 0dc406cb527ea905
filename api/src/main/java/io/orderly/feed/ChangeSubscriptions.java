package io.orderly.feed;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import io.orderly.cdc.readmodel.EntityType;
import io.orderly.cdc.readmodel.FeedEntry;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;

/** The subscriptions over the change feed: every change, or the changes of one order, customer or product. */
@Controller
class ChangeSubscriptions {

    private final FeedReader feed;

    ChangeSubscriptions(FeedReader feed) {
        this.feed = feed;
    }

    /** Every change of the given types; with {@code after}, first every retained change after that cursor. */
    @SubscriptionMapping
    Flux<ChangeView> changes(@Argument @Nullable List<EntityType> types, @Argument @Nullable String after) {
        Set<EntityType> wanted = types == null || types.isEmpty() ? EnumSet.allOf(EntityType.class) : EnumSet.copyOf(types);
        return Flux.defer(() -> {
            FeedCursor cursor = after == null ? null : FeedCursor.decode(after);
            String epoch = cursor == null ? feed.now().epoch() : cursor.epoch();
            Flux<FeedEntry> entries = cursor == null ? feed.live() : feed.after(cursor);
            return entries.filter(entry -> wanted.contains(entry.type())).map(entry -> ChangeView.of(entry, epoch));
        });
    }

    @SubscriptionMapping
    Flux<ChangeView> orderChanged(@Argument String id) {
        return live(entry -> entry.type() == EntityType.ORDER && entry.id().equals(id));
    }

    @SubscriptionMapping
    Flux<ChangeView> customerOrderChanged(@Argument String customerId) {
        return live(entry -> entry.type() == EntityType.ORDER && customerId.equals(entry.customerId()));
    }

    @SubscriptionMapping
    Flux<ChangeView> productChanged(@Argument String id) {
        return live(entry -> entry.type() == EntityType.PRODUCT && entry.id().equals(id));
    }

    private Flux<ChangeView> live(Predicate<FeedEntry> wanted) {
        return Flux.defer(() -> {
            String epoch = feed.now().epoch();
            return feed.live().filter(wanted).map(entry -> ChangeView.of(entry, epoch));
        });
    }
}
