package io.orderly.graphql;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import graphql.GraphQLError;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.language.OperationDefinition;
import graphql.language.OperationDefinition.Operation;
import graphql.parser.InvalidSyntaxException;
import graphql.schema.DataFetcher;
import io.orderly.runtime.RequestThreads;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import reactor.core.publisher.Mono;

/**
 * The deadline of a query ({@code orderly.limits.request-timeout}): once it has passed, the query is
 * answered with {@code REQUEST_TIMEOUT} and {@code data: null}, and everything it still runs is
 * cancelled: a {@code @consistentWith} wait, graphql-java's execution (no further field is fetched)
 * and each field still being fetched (its Mono, and with it the Redis read it waits for; a batch
 * load is bounded by the Redis command timeout instead, and a read on the request thread past the
 * deadline fails at once). So no
 * query outlives the client it answers. The clock starts once a persisted query is resolved to its
 * text, and counts every later step: the consistency wait, the wait for an expensive-query permit,
 * execution. Over graphql-ws a query is bounded the same way, answered with a {@code next} that
 * carries the error.
 *
 * <p>The whole answer is {@code data: null}, not the fields fetched in time: graphql-java assembles
 * a result only once every field is done, so a partial one is not at hand when the deadline passes.
 * Mutations are left to finish (bounded by the mutation cap): cut midway, a write that was made
 * would read as failed. Subscriptions live as long as their client wants.
 */
final class RequestDeadline implements WebGraphQlInterceptor {

    private static final String FETCHES = RequestDeadline.class.getName() + ".fetches";

    private final Duration timeout;

    RequestDeadline(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        if (!isQuery(request)) {
            return chain.next(request);
        }
        // The clock starts now, not when the response is subscribed to: a query whose reads wait on
        // the request thread (RequestThreads) runs, consistency check included, before the Mono
        // below is subscribed to, and a timer started then would only start once it had finished.
        long deadline = System.nanoTime() + timeout.toNanos();
        Fetches fetches = new Fetches(deadline);
        request.configureExecutionInput((input, builder) -> builder.graphQLContext(Map.of(FETCHES, fetches)).build());
        // What runs on this thread, while the chain is assembled and while it is subscribed to, waits
        // for Redis no longer than the deadline (RequestThreads.await).
        Mono<WebGraphQlResponse> next = RequestThreads.within(deadline, () -> chain.next(request));
        Mono<WebGraphQlResponse> bounded = Mono.fromDirect(subscriber -> RequestThreads.within(deadline, () -> {
            next.subscribe(subscriber);
            return null;
        }));
        // Cancelling the execution's Mono cancels graphql-java's ExecutionInput (Spring's
        // DefaultExecutionGraphQlService), which stops it from fetching more; the fetches under way
        // are cancelled here. One that ran on this thread past the deadline fetched nothing after it
        // (InFlightFetches) and is answered as one cut by the timer.
        return bounded
                .map(response -> fetches.pastDeadline() ? Requests.cutShort(request, timedOut()) : response)
                .onErrorResume(error -> fetches.pastDeadline(), error -> Mono.just(Requests.cutShort(request, timedOut())))
                .doOnCancel(fetches::cancel)
                .timeout(Mono.defer(() -> Mono.delay(fetches.remaining())), Mono.fromSupplier(() -> Requests.cutShort(request, timedOut())));
    }

    private GraphQLError timedOut() {
        return ErrorCodes.REQUEST_TIMEOUT.error("The query ran for longer than " + timeout.toMillis()
                + " ms and was stopped (ask for less, or in several requests)", null);
    }

    private static boolean isQuery(WebGraphQlRequest request) {
        Optional<OperationDefinition> operation;
        try {
            operation = Requests.operation(request);
        }
        catch (InvalidSyntaxException e) {
            return false; // graphql-java reports the syntax error itself, without executing anything
        }
        return operation.map(definition -> definition.getOperation() == Operation.QUERY).orElse(false);
    }

    /**
     * Keeps track of the fields of a bounded query that are being fetched, so that the deadline can
     * cancel them. It must come first among the instrumentations, so that it sees the future of the
     * data fetcher itself: the ones others derive from it (observation's) would not pass a
     * cancellation on to the fetch.
     */
    static final class InFlightFetches extends SimplePerformantInstrumentation {

        @Override
        public @Nullable InstrumentationState createState(InstrumentationCreateStateParameters parameters) {
            return parameters.getExecutionInput().getGraphQLContext().get(FETCHES);
        }

        @Override
        public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> dataFetcher, InstrumentationFieldFetchParameters parameters,
                @Nullable InstrumentationState state) {
            if (!(state instanceof Fetches fetches) || parameters.isTrivialDataFetcher()) {
                return dataFetcher;
            }
            return environment -> {
                if (fetches.pastDeadline()) {
                    // Past the deadline on a thread that waited for earlier fields: fetch nothing more.
                    fetches.cancel();
                    return CompletableFuture.failedFuture(new CancellationException("Past the request deadline"));
                }
                Object value = dataFetcher.get(environment);
                if (value instanceof CompletableFuture<?> fetch) {
                    fetches.add(fetch);
                }
                return value;
            };
        }
    }

    /** The fetches of one query still under way; once cancelled, each of them is, and any started after. */
    private static final class Fetches implements InstrumentationState {

        private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
        private final long deadline;
        private volatile boolean cancelled;

        Fetches(long deadline) {
            this.deadline = deadline;
        }

        boolean pastDeadline() {
            return System.nanoTime() - deadline >= 0;
        }

        Duration remaining() {
            return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        }

        void add(CompletableFuture<?> fetch) {
            if (fetch.isDone()) {
                return;
            }
            pending.add(fetch);
            fetch.whenComplete((value, error) -> pending.remove(fetch));
            if (cancelled) {
                fetch.cancel(true);
            }
        }

        void cancel() {
            cancelled = true;
            pending.forEach(fetch -> fetch.cancel(true));
        }
    }
}
