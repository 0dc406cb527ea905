package io.orderly.consistency;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import graphql.language.Argument;
import graphql.language.Directive;
import graphql.language.Field;
import graphql.language.OperationDefinition;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.parser.InvalidSyntaxException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.orderly.cdc.readmodel.ConsistencyToken;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.graphql.ErrorCodes;
import io.orderly.graphql.Requests;
import io.orderly.identity.Caller;
import io.orderly.runtime.RequestThreads;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Makes queries and subscriptions wait, bounded, for the writes they must see: the one named by
 * {@code @consistentWith(token:)} on a query, and the caller's own latest write, which
 * {@link LatestWrites} records per subject after each mutation, so that an authenticated caller reads
 * its own writes without passing any token. With both it waits for both, as long as the later takes
 * (the two are not compared: tokens of concurrent commits need not be ordered as the commits are).
 * Past the bound the operation runs with every root field failing with {@code CONSISTENCY_TIMEOUT}
 * ({@link TimedOutReads}), so that the response is shaped as any other execution error. A null
 * token, or none, waits for nothing beyond the caller's own writes. Mutations, and queries of the
 * projector's status alone, do not wait for the caller's own writes.
 */
@Component
class ConsistentWithInterceptor implements WebGraphQlInterceptor {

    private static final String DIRECTIVE = "consistentWith";
    private static final String STATUS = "projection";
    private static final Scheduler EXECUTION = Schedulers.boundedElastic();

    private final ConsistencyWaiter waiter;
    private final RedisAsyncCommands<String, String> redis;
    private final Duration commandTimeout;

    ConsistentWithInterceptor(ConsistencyWaiter waiter, StatefulRedisConnection<String, String> queryConnection) {
        this.waiter = waiter;
        this.redis = queryConnection.async();
        this.commandTimeout = queryConnection.getTimeout();
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        Optional<ConsistencyToken> requested;
        try {
            requested = request.getDocument().contains(DIRECTIVE) ? requestedToken(request).map(ConsistencyToken::parse) : Optional.empty();
        }
        catch (InvalidSyntaxException e) {
            return chain.next(request); // graphql-java reports the syntax error itself
        }
        catch (IllegalArgumentException e) {
            return Mono.just(Requests.refused(request, ErrorCodes.BAD_USER_INPUT.error(e.getMessage(), null)));
        }
        if (RequestThreads.mayBlock()) {
            // Most reads have nothing to wait for: they then run on this thread, from start to end.
            List<ConsistencyToken> tokens;
            try {
                tokens = tokens(requested, ownLatestWriteNow(request));
            }
            catch (RuntimeException e) {
                return Mono.error(e);
            }
            List<ConsistencyToken> pending;
            try {
                pending = tokens.stream().filter(token -> !waiter.coveredNow(token)).toList();
            }
            catch (RuntimeException e) {
                // As the asynchronous wait takes a failed check: wait for the projector's announcement, bounded.
                pending = tokens;
            }
            return pending.isEmpty() ? chain.next(request) : afterWaiting(pending, request, chain);
        }
        // The execution goes on where the reply or the wake-up arrives: off Lettuce's I/O threads,
        // on threads that may block, since admitting an expensive query waits for a permit.
        return ownLatestWrite(request).map(Optional::of).defaultIfEmpty(Optional.empty()).publishOn(EXECUTION).flatMap(own -> {
            List<ConsistencyToken> tokens = tokens(requested, own);
            return tokens.isEmpty() ? chain.next(request) : afterWaiting(tokens, request, chain);
        });
    }

    private static List<ConsistencyToken> tokens(Optional<ConsistencyToken> requested, Optional<ConsistencyToken> own) {
        return Stream.concat(requested.stream(), own.stream()).toList();
    }

    private Mono<WebGraphQlResponse> afterWaiting(List<ConsistencyToken> tokens, WebGraphQlRequest request, Chain chain) {
        return Flux.fromIterable(tokens).flatMap(waiter::await).publishOn(EXECUTION)
                .then(Mono.defer(() -> chain.next(request)))
                .onErrorResume(ConsistencyTimeoutException.class, e -> {
                    TimedOutReads.failRootFields(request, e);
                    return chain.next(request);
                });
    }

    /**
     * The token of the caller's latest write while it is recorded; empty for anonymous callers, and
     * for operations that read no read model: mutations, and queries of the projector's status only,
     * which must answer at once when the projector is behind.
     */
    private Mono<ConsistencyToken> ownLatestWrite(WebGraphQlRequest request) {
        String subject = Caller.of(request).subject();
        if (subject == null || !readsTheReadModels(request)) {
            return Mono.empty();
        }
        return Mono.fromCompletionStage(() -> redis.get(ReadModelKeys.subjectToken(subject))).flatMap(token -> Mono.justOrEmpty(parsed(token)));
    }

    /** {@link #ownLatestWrite}, waiting for Redis's answer on this thread. */
    private Optional<ConsistencyToken> ownLatestWriteNow(WebGraphQlRequest request) {
        String subject = Caller.of(request).subject();
        if (subject == null || !readsTheReadModels(request)) {
            return Optional.empty();
        }
        String token = RequestThreads.await(redis.get(ReadModelKeys.subjectToken(subject)), commandTimeout);
        return token == null ? Optional.empty() : parsed(token);
    }

    private static Optional<ConsistencyToken> parsed(String token) {
        try {
            return Optional.of(ConsistencyToken.parse(token));
        }
        catch (IllegalArgumentException e) {
            return Optional.empty(); // not one the command side wrote: nothing to wait for
        }
    }

    private static boolean readsTheReadModels(WebGraphQlRequest request) {
        String document = request.getDocument();
        if (!document.contains(OperationDefinition.Operation.MUTATION.name().toLowerCase(Locale.ROOT)) && !document.contains(STATUS)) {
            return true; // without parsing it
        }
        try {
            return Requests.operation(request)
                    .map(operation -> operation.getOperation() != OperationDefinition.Operation.MUTATION && !onlyStatus(operation))
                    .orElse(true);
        }
        catch (InvalidSyntaxException e) {
            return true; // graphql-java reports the syntax error itself
        }
    }

    private static boolean onlyStatus(OperationDefinition operation) {
        return operation.getSelectionSet().getSelections().stream()
                .allMatch(selection -> selection instanceof Field field && (field.getName().equals(STATUS) || field.getName().startsWith("__")));
    }

    private static Optional<String> requestedToken(WebGraphQlRequest request) {
        return Requests.operation(request)
                .flatMap(operation -> operation.getDirectives(DIRECTIVE).stream().findFirst())
                .flatMap(directive -> tokenValue(directive, request.getVariables()));
    }

    /** The token's text; empty for null or none, and for values of another type, which validation refuses. */
    private static Optional<String> tokenValue(Directive directive, Map<String, Object> variables) {
        Argument argument = directive.getArgument("token");
        Value<?> value = argument == null ? null : argument.getValue();
        if (value instanceof StringValue text) {
            return Optional.of(text.getValue());
        }
        if (value instanceof VariableReference variable && variables.get(variable.getName()) instanceof String text) {
            return Optional.of(text);
        }
        return Optional.empty();
    }

}
