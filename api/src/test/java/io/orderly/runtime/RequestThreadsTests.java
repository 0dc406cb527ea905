package io.orderly.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.netty.util.concurrent.FastThreadLocalThread;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.NonBlocking;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/** Which threads may wait for a Redis reply: request threads and blocking pools, not I/O or non-blocking threads. */
class RequestThreadsTests {

    @Test
    void aPlainThreadSuchAsAServletRequestThreadMayBlock() throws Exception {
        assertThat(mayBlockOn(Thread::new)).isTrue();
    }

    @Test
    void nettyAndLettuceIoThreadsMayNot() throws Exception {
        assertThat(mayBlockOn(FastThreadLocalThread::new)).isFalse();
    }

    @Test
    void threadsMarkedNonBlockingMayNot() throws Exception {
        assertThat(mayBlockOn(MarkedNonBlocking::new)).isFalse();
        assertThat(Mono.fromCallable(RequestThreads::mayBlock).subscribeOn(Schedulers.parallel()).block()).isFalse();
    }

    @Test
    void reactorsBoundedElasticThreadsMay() {
        assertThat(Mono.fromCallable(RequestThreads::mayBlock).subscribeOn(Schedulers.boundedElastic()).block()).isTrue();
    }

    private static boolean mayBlockOn(Function<Runnable, Thread> threads) throws Exception {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        threads.apply(() -> answer.complete(RequestThreads.mayBlock())).start();
        return answer.get(5, TimeUnit.SECONDS);
    }

    /** As the feed reader's thread is marked. */
    private static final class MarkedNonBlocking extends Thread implements NonBlocking {

        MarkedNonBlocking(Runnable runnable) {
            super(runnable);
        }
    }
}
