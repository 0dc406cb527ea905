package io.orderly.customer.command;

import io.orderly.command.MutationPayload;
import io.orderly.identity.Caller;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/** The customer mutations: GraphQL input in, command handler, payload out. */
@Controller
class CustomerMutations {

    private final CustomerCommandHandler handler;

    CustomerMutations(CustomerCommandHandler handler) {
        this.handler = handler;
    }

    @MutationMapping
    MutationPayload registerCustomer(@Argument RegisterCustomerInput input, @ContextValue Caller caller) {
        return MutationPayload.of(handler.register(caller, input.email(), input.name()));
    }

    @MutationMapping
    MutationPayload updateCustomer(@Argument UpdateCustomerInput input, @ContextValue Caller caller) {
        return MutationPayload.of(handler.update(caller, input.id(), input.expectedVersion(), input.email(), input.name()));
    }

    @SchemaMapping(typeName = "CustomerPayload")
    @Nullable String customerId(MutationPayload payload) {
        return payload.id();
    }

    record RegisterCustomerInput(String email, String name) {
    }

    record UpdateCustomerInput(String id, int expectedVersion, @Nullable String email, @Nullable String name) {
    }
}
