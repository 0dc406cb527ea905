package io.orderly.consistency;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import io.orderly.cdc.readmodel.ConsistencyToken;
import io.orderly.runtime.RequestThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.server.WebGraphQlInterceptor.Chain;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.LinkedMultiValueMap;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The caller's own latest write, checked on the request thread that serves its query. */
class ConsistentWithInterceptorTests {

    private static final ConsistencyToken OWN_WRITE = ConsistencyToken.parse("0/16B3748@42");

    private final ConsistencyWaiter waiter = mock(ConsistencyWaiter.class);

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void aCheckThatFailsWaitsForTheWriteAsTheAsynchronousCheckDoesInsteadOfFailingTheQuery() {
        when(waiter.coveredNow(any())).thenThrow(new RedisCommandTimeoutException("Command timed out"));
        when(waiter.await(any())).thenReturn(Mono.empty());
        SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("subject", null, "ROLE_CUSTOMER"));
        WebGraphQlResponse executed = mock(WebGraphQlResponse.class);
        Chain chain = request -> Mono.just(executed);

        WebGraphQlResponse response = RequestThreads.serving(() -> interceptor().intercept(request("{ me { id } }"), chain)).block();

        assertThat(response).isSameAs(executed);
        verify(waiter).await(OWN_WRITE);
    }

    @SuppressWarnings("unchecked")
    private ConsistentWithInterceptor interceptor() {
        StatefulRedisConnection<String, String> connection = mock(StatefulRedisConnection.class);
        RedisAsyncCommands<String, String> redis = mock(RedisAsyncCommands.class);
        when(connection.async()).thenReturn(redis);
        when(connection.getTimeout()).thenReturn(Duration.ofSeconds(1));
        AsyncCommand<String, String, String> token = new AsyncCommand<>(new Command<>(CommandType.GET, new ValueOutput<>(StringCodec.UTF8)));
        token.complete(OWN_WRITE.toString());
        when(redis.get(anyString())).thenReturn(token);
        return new ConsistentWithInterceptor(waiter, connection);
    }

    private static WebGraphQlRequest request(String document) {
        return new WebGraphQlRequest(URI.create("http://localhost/graphql"), new HttpHeaders(), new LinkedMultiValueMap<>(), null,
                Map.of(), Map.of("query", document), "1", Locale.ENGLISH);
    }
}
