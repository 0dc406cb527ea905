package io.orderly.graphql;

import java.util.Optional;
import java.util.Set;

import graphql.language.OperationDefinition;
import graphql.parser.InvalidSyntaxException;
import io.orderly.runtime.OrderlyProperties;
import io.orderly.runtime.Role;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Refuses operations this process does not serve: mutations need the command role, queries and
 * subscriptions the query role. A command-only process still resolves the objects in its mutation
 * payloads from the read models.
 */
@Component
@Order(0)
class RoleGuardInterceptor implements WebGraphQlInterceptor {

    private final Set<Role> roles;

    RoleGuardInterceptor(OrderlyProperties properties) {
        this.roles = properties.roles();
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        if (roles.contains(Role.COMMAND) && roles.contains(Role.QUERY)) {
            return chain.next(request);
        }
        Optional<Role> needed;
        try {
            needed = neededRole(request);
        }
        catch (InvalidSyntaxException e) {
            return chain.next(request); // graphql-java reports the syntax error itself
        }
        if (needed.isEmpty() || roles.contains(needed.get())) {
            return chain.next(request);
        }
        String message = "This Orderly process does not serve " + needed.get().name().toLowerCase()
                + " operations (orderly.roles=" + roles + "); send them to a process that has that role";
        return Mono.just(Requests.refused(request, ErrorCodes.ROLE_NOT_SERVED.error(message, null)));
    }

    private static Optional<Role> neededRole(WebGraphQlRequest request) {
        return Requests.operation(request).map(operation -> operation.getOperation() == OperationDefinition.Operation.MUTATION ? Role.COMMAND : Role.QUERY);
    }
}
