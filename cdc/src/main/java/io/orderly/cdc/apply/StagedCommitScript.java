package io.orderly.cdc.apply;

import java.time.Duration;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * The Lua script that makes a staged transaction ({@link StagingArea}) visible in one step, and
 * how long the projector waits for it.
 */
final class StagedCommitScript {

    /** How many staged documents or feed entries the script takes from Redis at once, and the most arguments of one command it sends. */
    private static final int PAGE = 1000;

    /**
     * How many staged operations the commit script takes at once: each is a group of up to
     * {@link StagedOperations#GROUP} writes.
     */
    private static final int OPERATIONS_PAGE = 100;

    /**
     * KEYS: documents, operations, feed, the change feed, the set of stagings, the count of writes.
     * ARGV: the staging's id, the sequence of the first feed entry, the feed's retention, the commit time, the
     * page size, the provisional position, the commit position, the consistency token, the operations' page size.
     * Returns how many feed entries it numbered. Every branch only writes, so once the first
     * write is in Redis runs the script to its end: it is visible all at once or not at all.
     *
     * <p>Documents and the other writes touch different keys (documents, indexes and lookups), so
     * the documents are written first, a page at a time with one MSET, then the other writes in
     * their order, each group of them one command.
     */
    private static final String COMMIT = """
            local documents, operations, feed, stream, staging, count = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
            local page = tonumber(ARGV[5])
            local provisional, final = '"lsn":' .. ARGV[6] .. '([,}])', '"lsn":' .. ARGV[7] .. '%1'
            local written, deleted = {}, {}
            -- At most a page of arguments to a command: HSCAN may return a little more than it is asked for, and
            -- unpack has a limit.
            local function flush(least)
              if #written >= least then
                redis.call('MSET', unpack(written))
                written = {}
              end
              if #deleted >= least then
                redis.call('DEL', unpack(deleted))
                deleted = {}
              end
            end
            local cursor = '0'
            repeat
              local scanned = redis.call('HSCAN', documents, cursor, 'COUNT', page)
              cursor = scanned[1]
              local entries = scanned[2]
              for i = 1, #entries, 2 do
                if entries[i + 1] == '' then
                  deleted[#deleted + 1] = entries[i]
                else
                  written[#written + 1] = entries[i]
                  written[#written + 1] = (string.gsub(entries[i + 1], provisional, final))
                end
                flush(page)
              end
            until cursor == '0'
            flush(1)
            local length = redis.call('LLEN', operations)
            local operationsPage = tonumber(ARGV[9])
            for from = 0, length - 1, operationsPage do
              for _, encoded in ipairs(redis.call('LRANGE', operations, from, from + operationsPage - 1)) do
                local op = cjson.decode(encoded)
                local name = op[1]
                if name == 'set' then redis.call('MSET', unpack(op, 2))
                elseif name == 'del' then redis.call('DEL', unpack(op, 2))
                elseif name == 'zrem' then redis.call('ZREM', op[2], unpack(op, 3))
                elseif name == 'zadd' then
                  local members = {}
                  for i = 3, #op do
                    members[#members + 1] = 0
                    members[#members + 1] = op[i]
                  end
                  redis.call('ZADD', op[2], unpack(members))
                end
              end
            end
            local first = tonumber(ARGV[2])
            local sequence = first
            -- Entries the feed's retention would trim at once are numbered but not written: the gap
            -- tells a reader behind them to resync, as trimming does.
            local kept = first + redis.call('HLEN', feed) - tonumber(ARGV[3])
            cursor = '0'
            repeat
              local scanned = redis.call('HSCAN', feed, cursor, 'COUNT', page)
              cursor = scanned[1]
              local entries = scanned[2]
              for i = 2, #entries, 2 do
                if sequence >= kept then
                  local fields = cjson.decode(entries[i])
                  fields[#fields + 1] = 'committedAt'
                  fields[#fields + 1] = ARGV[4]
                  fields[#fields + 1] = 'token'
                  fields[#fields + 1] = ARGV[8]
                  redis.call('XADD', stream, 'MAXLEN', '~', ARGV[3], string.format('%d-0', sequence), unpack(fields))
                end
                sequence = sequence + 1
              end
            until cursor == '0'
            -- UNLINK frees the staging off the main thread, which readers are waiting for.
            redis.call('UNLINK', documents, operations, feed, count)
            redis.call('SREM', staging, ARGV[1])
            return sequence - first
            """;

    /**
     * How long, per staged change, the projector waits beyond its Redis timeout for the script:
     * 100 µs, several times what it was measured to take on a busy machine (10 to 25 µs), so that
     * a million changes are waited for rather than given up on while Redis carries them out.
     */
    private static final long NANOS_PER_CHANGE = 100_000;

    private StagedCommitScript() {
    }

    /** How long to wait for the MULTI/EXEC that runs the script over {@code changes} staged changes. */
    static Duration timeout(Duration redisTimeout, long changes) {
        return redisTimeout.plusNanos(changes * NANOS_PER_CHANGE);
    }

    /**
     * Queues the script on a connection inside MULTI.
     *
     * @param keys documents, operations, feed, the change feed, the set of stagings, the count of writes
     */
    static RedisFuture<Long> queue(RedisAsyncCommands<String, String> transaction, String[] keys, String stagingId,
            String firstFeedSequence, String feedRetention, String committedAt, String provisionalPosition, String position,
            String token) {
        return transaction.eval(COMMIT, ScriptOutputType.INTEGER, keys, stagingId, firstFeedSequence, feedRetention, committedAt,
                Integer.toString(PAGE), provisionalPosition, position, token, Integer.toString(OPERATIONS_PAGE));
    }
}
