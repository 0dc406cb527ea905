package io.orderly.runtime;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Schedulers;

/**
 * Whether the current thread may wait for a Redis reply. A request thread of the servlet container
 * may: reading Redis synchronously there lets a query run from start to end on the thread that
 * received it, with no hand-over between threads and the response written at once, and the two
 * cores serve requests side by side. Lettuce's and Netty's I/O threads must never wait (the reply
 * would have to arrive on the very thread that waits), nor may Reactor's non-blocking threads or
 * the feed reader's, which serve every subscriber.
 */
public final class RequestThreads {

    private RequestThreads() {
    }

    public static boolean mayBlock() {
        Thread thread = Thread.currentThread();
        return !(thread instanceof FastThreadLocalThread) && !Schedulers.isInNonBlockingThread();
    }

    /** The reply of a command sent on this thread, waited for at most {@code timeout}. */
    public static <T> @Nullable T await(RedisFuture<T> reply, Duration timeout) {
        return LettuceFutures.awaitOrCancel(reply, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
