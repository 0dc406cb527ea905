package io.orderly.projection;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/** The read-model check reads everything, so a second one asked for while one runs is refused (429). */
class ReadModelCheckEndpointTests {

    @Test
    void runsOneCheckAtATime() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        @SuppressWarnings("unchecked")
        ReadModelCheck slowCheck = new ReadModelCheck(null, mock(StatefulRedisConnection.class)) {
            @Override
            public List<String> differences() {
                running.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return List.of();
            }
        };
        ReadModelCheckEndpoint endpoint = new ReadModelCheckEndpoint(slowCheck);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<WebEndpointResponse<Map<String, Object>>> first = caller.submit(endpoint::check);
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(endpoint.check().getStatus()).isEqualTo(WebEndpointResponse.STATUS_TOO_MANY_REQUESTS);

            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(WebEndpointResponse.STATUS_OK);
            assertThat(endpoint.check().getBody()).containsEntry("consistent", true);
        }
        finally {
            caller.shutdownNow();
        }
    }
}
