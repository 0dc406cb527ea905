package io.orderly.runtime;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Schedulers;

/**
 * Whether the current thread may wait for a Redis reply. A request thread of the servlet container
 * may while it runs the HTTP request it received ({@link #serving}): reading Redis synchronously
 * there lets a query run from start to end on that thread, with no hand-over between threads and
 * the response written at once, and the two cores serve requests side by side. No other thread
 * may, whatever it is: not Lettuce's and Netty's I/O threads (the reply would have to arrive on the
 * very thread that waits), nor Reactor's non-blocking threads or the feed reader's, which serve
 * every subscriber, nor threads that only happen to complete a wait, such as the consistency
 * waiter's re-check, the JDK's timeout thread or a graphql-ws session's (which would stop reading
 * that connection's further messages while one query runs), nor the few bounded-elastic threads a
 * query goes on with after a consistency wait.
 */
public final class RequestThreads {

    private static final ThreadLocal<Long> DEADLINE = new ThreadLocal<>();
    private static final ThreadLocal<Boolean> SERVING = new ThreadLocal<>();

    private RequestThreads() {
    }

    public static boolean mayBlock() {
        Thread thread = Thread.currentThread();
        return SERVING.get() != null && !(thread instanceof FastThreadLocalThread) && !Schedulers.isInNonBlockingThread();
    }

    /**
     * Runs {@code request}, an HTTP request's execution up to its response, with waits for Redis
     * allowed on this thread while it runs.
     */
    public static <T> T serving(Supplier<T> request) {
        if (SERVING.get() != null) {
            return request.get();
        }
        SERVING.set(Boolean.TRUE);
        try {
            return request.get();
        }
        finally {
            SERVING.remove();
        }
    }

    /**
     * The reply of a command sent on this thread, waited for at most {@code timeout}, and never past
     * the deadline of the request this thread is running ({@link #within}): a query that waits on its
     * request thread has no other thread to cut it short.
     *
     * @throws io.lettuce.core.RedisCommandTimeoutException once either has passed (the command is cancelled)
     */
    public static <T> @Nullable T await(RedisFuture<T> reply, Duration timeout) {
        long nanos = timeout.toNanos();
        Long deadline = DEADLINE.get();
        if (deadline != null) {
            nanos = Math.min(nanos, Math.max(0, deadline - System.nanoTime()));
        }
        return LettuceFutures.awaitOrCancel(reply, nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Runs {@code work} with waits on this thread bounded by {@code deadline} ({@link System#nanoTime()}):
     * what a request runs on the thread that subscribes to it, it runs in there.
     */
    public static <T> T within(long deadline, Supplier<T> work) {
        Long outer = DEADLINE.get();
        DEADLINE.set(outer == null || deadline - outer < 0 ? deadline : outer);
        try {
            return work.get();
        }
        finally {
            if (outer == null) {
                DEADLINE.remove();
            }
            else {
                DEADLINE.set(outer);
            }
        }
    }
}
