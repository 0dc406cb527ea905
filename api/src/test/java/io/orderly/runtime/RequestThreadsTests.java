package io.orderly.runtime;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.NonBlocking;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which threads may wait for a Redis reply: a request thread while it serves its request, no other. */
class RequestThreadsTests {

    @Test
    void aPlainThreadSuchAsAServletRequestThreadMayBlockWhileItServesARequest() throws Exception {
        assertThat(mayBlockOn(Thread::new, true)).isTrue();
        assertThat(mayBlockOn(Thread::new, false)).as("once it has served it, or before").isFalse();
    }

    @Test
    void nettyAndLettuceIoThreadsMayNot() throws Exception {
        assertThat(mayBlockOn(FastThreadLocalThread::new, true)).isFalse();
    }

    @Test
    void threadsMarkedNonBlockingMayNot() throws Exception {
        assertThat(mayBlockOn(MarkedNonBlocking::new, true)).isFalse();
        assertThat(Mono.fromCallable(RequestThreads::mayBlock).subscribeOn(Schedulers.parallel()).block()).isFalse();
    }

    @Test
    void threadsThatAReplyOrAWakeUpContinuesOnMayNot() {
        assertThat(Mono.fromCallable(RequestThreads::mayBlock).subscribeOn(Schedulers.boundedElastic()).block()).isFalse();
        assertThat(CompletableFuture.supplyAsync(RequestThreads::mayBlock).join()).isFalse();
    }

    @Test
    void aWaitEndsAtTheDeadlineOfTheRequestItRunsFor() {
        RedisFuture<String> never = new AsyncCommand<>(new Command<>(CommandType.GET, new StatusOutput<>(StringCodec.UTF8)));
        long started = System.nanoTime();

        assertThatThrownBy(() -> RequestThreads.within(started + Duration.ofMillis(100).toNanos(),
                () -> RequestThreads.await(never, Duration.ofSeconds(10)))).isInstanceOf(RedisCommandTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(never.isCancelled()).isTrue();
    }

    private static boolean mayBlockOn(Function<Runnable, Thread> threads, boolean serving) throws Exception {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        threads.apply(() -> answer.complete(serving ? RequestThreads.serving(RequestThreads::mayBlock) : RequestThreads.mayBlock())).start();
        return answer.get(5, TimeUnit.SECONDS);
    }

    /** As the feed reader's thread is marked. */
    private static final class MarkedNonBlocking extends Thread implements NonBlocking {

        MarkedNonBlocking(Runnable runnable) {
            super(runnable);
        }
    }
}
