package io.orderly.cdc.supervision;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.apply.TransactionApplier;
import io.orderly.cdc.readmodel.ReadModelKeys;

/**
 * The right to stream, held by at most one projector process at a time: a Redis key with this
 * owner's name and a time to live, renewed while the owner is alive. When the owner dies the key
 * expires and a standby projector takes it. The watermark check before every commit of the
 * {@link TransactionApplier} backs this up: a projector that lost the lease without noticing
 * cannot interleave its writes.
 */
final class ProjectorLease {

    private static final String RENEW = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
                return redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return 0
            """;

    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
                return redis.call('DEL', KEYS[1])
            end
            return 0
            """;

    private final RedisCommands<String, String> redis;
    private final RedisAsyncCommands<String, String> async;
    private final String owner;
    private final Duration duration;

    ProjectorLease(StatefulRedisConnection<String, String> connection, String owner, Duration duration) {
        this.redis = connection.sync();
        this.async = connection.async();
        this.owner = owner;
        this.duration = duration;
    }

    /** Takes the lease if nobody holds it. */
    boolean tryAcquire() {
        return "OK".equals(redis.set(ReadModelKeys.PROJECTOR_LEASE, owner, SetArgs.Builder.nx().px(duration.toMillis())));
    }

    /** Extends the lease if this owner still holds it. */
    boolean renew() {
        Long renewed = redis.eval(RENEW, ScriptOutputType.INTEGER, new String[] {ReadModelKeys.PROJECTOR_LEASE},
                owner, Long.toString(duration.toMillis()));
        return renewed != null && renewed == 1;
    }

    /**
     * Gives the lease up, waiting a second at most: on the way down Redis may already be gone, and
     * the lease then simply expires.
     */
    void release() {
        try {
            async.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {ReadModelKeys.PROJECTOR_LEASE}, owner)
                    .get(1, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException e) {
            // The lease expires by itself.
        }
    }

    String owner() {
        return owner;
    }

    /** A name for this process to hold the lease under: {@code <pid>@<host>/<random>}. */
    static String newOwner() {
        return ProcessHandle.current().pid() + "@" + hostName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
