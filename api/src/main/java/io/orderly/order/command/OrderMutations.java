package io.orderly.order.command;

import java.util.List;

import io.orderly.command.MutationPayload;
import io.orderly.identity.Caller;
import io.orderly.order.command.OrderRequest.LineInput;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/** The order mutations: GraphQL input in, command handler, payload out. */
@Controller
class OrderMutations {

    private final PlaceOrderHandler placing;
    private final OrderTransitionHandler transitions;

    OrderMutations(PlaceOrderHandler placing, OrderTransitionHandler transitions) {
        this.placing = placing;
        this.transitions = transitions;
    }

    @MutationMapping
    MutationPayload placeOrder(@Argument PlaceOrderInput input, @ContextValue Caller caller) {
        return MutationPayload.of(placing.place(caller, input.customerId(), input.lines(), input.idempotencyKey()));
    }

    @MutationMapping
    MutationPayload payOrder(@Argument OrderTransitionInput input, @ContextValue Caller caller) {
        return MutationPayload.of(transitions.pay(caller, input.id(), input.expectedVersion()));
    }

    @MutationMapping
    MutationPayload shipOrder(@Argument OrderTransitionInput input, @ContextValue Caller caller) {
        return MutationPayload.of(transitions.ship(caller, input.id(), input.expectedVersion()));
    }

    @MutationMapping
    MutationPayload deliverOrder(@Argument OrderTransitionInput input, @ContextValue Caller caller) {
        return MutationPayload.of(transitions.deliver(caller, input.id(), input.expectedVersion()));
    }

    @MutationMapping
    MutationPayload cancelOrder(@Argument OrderTransitionInput input, @ContextValue Caller caller) {
        return MutationPayload.of(transitions.cancel(caller, input.id(), input.expectedVersion()));
    }

    @SchemaMapping(typeName = "OrderPayload")
    @Nullable String orderId(MutationPayload payload) {
        return payload.id();
    }

    record PlaceOrderInput(String customerId, List<LineInput> lines, @Nullable String idempotencyKey) {
    }

    record OrderTransitionInput(String id, @Nullable Integer expectedVersion) {
    }
}
