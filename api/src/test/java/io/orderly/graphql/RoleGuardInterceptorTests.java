package io.orderly.graphql;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import graphql.ExecutionResult;
import io.orderly.TestProperties;
import io.orderly.runtime.Role;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

class RoleGuardInterceptorTests {

    @Test
    void commandOnlyProcessRefusesQueriesAndServesMutations() {
        RoleGuardInterceptor guard = guard(EnumSet.of(Role.COMMAND));

        assertRefused(guard, "{ customers { totalCount } }", "query");
        assertRefused(guard, "subscription { changes { id } }", "query");
        assertServed(guard, "mutation { registerCustomer(input: {email: \"a@b.co\", name: \"A\"}) { consistencyToken } }");
    }

    @Test
    void queryOnlyProcessRefusesMutations() {
        RoleGuardInterceptor guard = guard(EnumSet.of(Role.QUERY, Role.PROJECTOR));

        assertRefused(guard, "mutation M { registerCustomer(input: {email: \"a@b.co\", name: \"A\"}) { consistencyToken } }", "command");
        assertServed(guard, "query Q { customers { totalCount } }");
    }

    @Test
    void projectorOnlyProcessServesNoOperations() {
        RoleGuardInterceptor guard = guard(EnumSet.of(Role.PROJECTOR));

        assertRefused(guard, "{ projection { state } }", "query");
        assertRefused(guard, "mutation { updateCustomer(input: {id: \"x\", expectedVersion: 1}) { consistencyToken } }", "command");
    }

    private static void assertRefused(RoleGuardInterceptor guard, String document, String role) {
        AtomicBoolean executed = new AtomicBoolean();
        WebGraphQlResponse response = guard.intercept(request(document), chain(executed)).block(Duration.ofSeconds(5));

        assertThat(executed).isFalse();
        assertThat(response.getErrors()).singleElement().satisfies(error -> {
            assertThat(error.getExtensions()).containsEntry("code", "ROLE_NOT_SERVED");
            assertThat(error.getMessage()).contains("does not serve " + role + " operations");
        });
    }

    private static void assertServed(RoleGuardInterceptor guard, String document) {
        AtomicBoolean executed = new AtomicBoolean();
        guard.intercept(request(document), chain(executed)).block(Duration.ofSeconds(5));

        assertThat(executed).isTrue();
    }

    private static RoleGuardInterceptor guard(Set<Role> roles) {
        return new RoleGuardInterceptor(TestProperties.orderly(Map.of("roles", roles.stream().map(Role::name).collect(Collectors.joining(",")))));
    }

    private static WebGraphQlRequest request(String document) {
        return new WebGraphQlRequest(URI.create("http://localhost/graphql"), new HttpHeaders(), new LinkedMultiValueMap<>(),
                Map.of(), Map.of("query", document), "1", Locale.ENGLISH);
    }

    private static WebGraphQlInterceptor.Chain chain(AtomicBoolean executed) {
        return request -> {
            executed.set(true);
            return Mono.just(new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(
                    request.toExecutionInput(), ExecutionResult.newExecutionResult().data(Map.of()).build())));
        };
    }
}
