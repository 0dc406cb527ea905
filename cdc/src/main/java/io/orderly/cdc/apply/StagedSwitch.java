package io.orderly.cdc.apply;

import java.time.Instant;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.readmodel.ReadModelKeys;

/**
 * How a staged transaction ({@link StagingArea}) becomes visible without stopping Redis for
 * anyone else, in three server-side steps of bounded size (but for the first copy of each index,
 * which takes as long as the index is large):
 *
 * <ol>
 * <li>{@link #prepare}: before it is visible, its index writes are replayed, a page at a time,
 * into copies of the indexes they touch (each copied from the served index the first time).</li>
 * <li>{@link #queueFlip}: one step of constant size inside the applier's MULTI/EXEC sets
 * {@link ReadModelKeys#SWITCH} to the hash of the staged documents and lookup values and records
 * where the copy stands ({@link ReadModelKeys#SWITCH_STATE}); the same EXEC moves the watermark.
 * From here readers take an index's copy over the index, and a staged value over the key's own.</li>
 * <li>{@link #finish}: the copies are renamed over their indexes, then the staged values copied
 * into their keys, a page at a time, each page leaving the set of copies or the hash in the same
 * step, so that a reader finds each index and key either staged or in place, never the old one;
 * then the marker goes, and the feed entries are appended a page at a time. A projector that
 * stops in between is followed by one that finishes first.</li>
 * </ol>
 */
final class StagedSwitch {

    /** How many staged values or feed entries one step takes from Redis, and the most arguments of one command. */
    private static final int PAGE = 1000;

    /** How many staged index operations (each up to {@link StagedOperations#GROUP} members) one prepare step replays. */
    private static final int OPERATIONS_PAGE = 100;

    /**
     * KEYS: the operations, the set of indexes copied, the set of stagings. ARGV: the first
     * operation, how many, the copies' prefix, the staging's id. Returns how many operations it
     * replayed, or -1, copying nothing, once the staging is no longer listed (another projector
     * discarded it).
     */
    private static final String PREPARE = """
            local operations, indexes, stagings, prefix = KEYS[1], KEYS[2], KEYS[3], ARGV[3]
            if redis.call('SISMEMBER', stagings, ARGV[4]) == 0 then
              return -1
            end
            local from = tonumber(ARGV[1])
            local entries = redis.call('LRANGE', operations, from, from + tonumber(ARGV[2]) - 1)
            for _, encoded in ipairs(entries) do
              local op = cjson.decode(encoded)
              local index = op[2]
              local copy = prefix .. index
              if redis.call('SADD', indexes, index) == 1 then
                redis.call('UNLINK', copy)
                redis.call('COPY', index, copy)
              end
              if op[1] == 'zrem' then
                redis.call('ZREM', copy, unpack(op, 3))
              elseif op[1] ~= 'zadd' then
                return redis.error_reply('unknown staged operation ' .. op[1])
              else
                local members = {}
                for i = 3, #op do
                  members[#members + 1] = 0
                  members[#members + 1] = op[i]
                end
                redis.call('ZADD', copy, unpack(members))
              end
            end
            return #entries
            """;

    /**
     * KEYS: the marker, the state, the staged documents, the staged feed, the set of stagings. ARGV: the copies' prefix, the first feed entry's sequence, the
     * feed's retention, the staging's id, then the state's other fields and values. Returns how
     * many feed entries the transaction numbers. Readers take the indexes from their copies from
     * here until each is renamed into place.
     */
    private static final String FLIP = """
            local marker, state, documents, feed, stagings = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
            redis.call('SET', marker, documents)
            -- From here the state owns the staging: no projector discards it, one finishes it.
            redis.call('SREM', stagings, ARGV[4])
            local entries = redis.call('HLEN', feed)
            redis.call('HSET', state, 'next', ARGV[2], 'retention', ARGV[3], 'kept', tonumber(ARGV[2]) + entries - tonumber(ARGV[3]),
                'staging', ARGV[4], 'copies', ARGV[1], unpack(ARGV, 5))
            return entries
            """;

    /**
     * KEYS: the marker, the state, the change feed, the set of stagings. ARGV: the page size.
     * Renames one page of index copies over their indexes (an index whose copy ended empty is
     * deleted), or copies one page of staged values into their keys (stamped with the commit
     * position), or appends one page of feed entries (those the feed's retention would trim at
     * once are numbered, not written: the gap tells a reader behind them to resync, as trimming
     * does), and deletes what it took from the staging. Returns the phase it worked on, or 'done'.
     */
    private static final String STEP = """
            local marker, state, stream, stagings = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
            local page = tonumber(ARGV[1])
            if redis.call('EXISTS', state) == 0 then
              return 'done'
            end
            local s = {}
            local fields = redis.call('HGETALL', state)
            for i = 1, #fields, 2 do
              s[fields[i]] = fields[i + 1]
            end
            -- At most a page of arguments to a command: HSCAN may return more than it is asked for.
            local function inPages(command, key, arguments, step)
              for from = 1, #arguments, step do
                local last = math.min(from + step - 1, #arguments)
                if key then
                  redis.call(command, key, unpack(arguments, from, last))
                else
                  redis.call(command, unpack(arguments, from, last))
                end
              end
            end
            local function advance(hash, cursor)
              if cursor ~= '0' then
                redis.call('HSET', state, 'cursor', cursor)
              elseif redis.call('HLEN', hash) > 0 then
                redis.call('HSET', state, 'cursor', '0')
              else
                return true
              end
              return false
            end
            if s.phase == 'indexes' then
              -- An index leaves the set once its copy is in place (or it is deleted, its copy left empty).
              for _, index in ipairs(redis.call('SRANDMEMBER', s.indexes, page)) do
                redis.call('UNLINK', index)
                if redis.call('EXISTS', s.copies .. index) == 1 then
                  redis.call('RENAME', s.copies .. index, index)
                end
                redis.call('SREM', s.indexes, index)
              end
              if redis.call('SCARD', s.indexes) == 0 then
                redis.call('HSET', state, 'phase', 'documents', 'cursor', '0')
              end
              return 'indexes'
            end
            if s.phase == 'documents' then
              local scanned = redis.call('HSCAN', s.documents, s.cursor, 'COUNT', page)
              local entries = scanned[2]
              local provisional, final = '"lsn":' .. s.provisional .. '([,}])', '"lsn":' .. s.position .. '%1'
              local written, deleted, taken = {}, {}, {}
              for i = 1, #entries, 2 do
                taken[#taken + 1] = entries[i]
                if entries[i + 1] == '' then
                  deleted[#deleted + 1] = entries[i]
                else
                  written[#written + 1] = entries[i]
                  written[#written + 1] = (string.gsub(entries[i + 1], provisional, final))
                end
              end
              inPages('MSET', nil, written, 2 * page)
              inPages('DEL', nil, deleted, page)
              inPages('HDEL', s.documents, taken, page)
              if advance(s.documents, scanned[1]) then
                redis.call('DEL', marker)
                redis.call('HSET', state, 'phase', 'feed', 'cursor', '0')
              end
              return 'documents'
            end
            local scanned = redis.call('HSCAN', s.feed, s.cursor, 'COUNT', page)
            local entries = scanned[2]
            local sequence, kept = tonumber(s.next), tonumber(s.kept)
            local taken = {}
            for i = 1, #entries, 2 do
              if sequence >= kept then
                local entry = cjson.decode(entries[i + 1])
                entry[#entry + 1] = 'committedAt'
                entry[#entry + 1] = s.committedAt
                entry[#entry + 1] = 'token'
                entry[#entry + 1] = s.token
                redis.call('XADD', stream, 'MAXLEN', '~', s.retention, string.format('%d-0', sequence), unpack(entry))
              end
              sequence = sequence + 1
              taken[#taken + 1] = entries[i]
            end
            inPages('HDEL', s.feed, taken, page)
            redis.call('HSET', state, 'next', sequence)
            if advance(s.feed, scanned[1]) then
              -- UNLINK frees the staging off the main thread.
              redis.call('UNLINK', s.documents, s.operations, s.feed, s.count, s.indexes)
              redis.call('SREM', stagings, s.staging)
              redis.call('DEL', state)
              return 'done'
            end
            return 'feed'
            """;

    /**
     * KEYS: the state, the set of stagings, the set of indexes copied, the staged documents,
     * operations, feed and count. ARGV: the staging's id, the copies' prefix. Deletes the staging
     * and its copies unless the state names it; returns whether it did.
     */
    private static final String DISCARD = """
            local state, stagings, indexes = KEYS[1], KEYS[2], KEYS[3]
            if redis.call('HGET', state, 'staging') == ARGV[1] then
              return 0
            end
            for _, index in ipairs(redis.call('SMEMBERS', indexes)) do
              redis.call('UNLINK', ARGV[2] .. index)
            end
            -- UNLINK frees a large staging off Redis' main thread.
            redis.call('UNLINK', indexes, KEYS[4], KEYS[5], KEYS[6], KEYS[7])
            redis.call('SREM', stagings, ARGV[1])
            return 1
            """;

    private StagedSwitch() {
    }

    /**
     * Replays the staged index writes into copies of their indexes, a page at a time; nothing is visible yet.
     *
     * @return false when the staging was discarded meanwhile (by another projector), which stops the copies
     */
    static boolean prepare(RedisCommands<String, String> redis, StagingArea area) {
        String[] keys = { area.operationsKey(), area.indexesKey(), ReadModelKeys.STAGING };
        long replayed;
        long from = 0;
        do {
            replayed = redis.eval(PREPARE, ScriptOutputType.INTEGER, keys, Long.toString(from), Integer.toString(OPERATIONS_PAGE),
                    area.indexCopiesPrefix(), area.id());
            from += replayed;
        }
        while (replayed == OPERATIONS_PAGE);
        return replayed >= 0;
    }

    /** Deletes a staging and its index copies in one step, unless it is the visible one being copied into place. */
    static void discard(RedisCommands<String, String> redis, StagingArea area) {
        String[] keys = { ReadModelKeys.SWITCH_STATE, ReadModelKeys.STAGING, area.indexesKey(), area.documentsKey(),
            area.operationsKey(), area.feedKey(), area.countKey() };
        redis.eval(DISCARD, ScriptOutputType.INTEGER, keys, area.id(), area.indexCopiesPrefix());
    }

    /**
     * Queues, on a connection inside MULTI, the step that makes the staged transaction visible.
     *
     * @return the number of feed entries the transaction numbers, once EXEC has run
     */
    static RedisFuture<Long> queueFlip(RedisAsyncCommands<String, String> transaction, StagingArea area, long position,
            Instant committedAt, String token, long firstFeedSequence, long feedRetention) {
        String[] keys = { ReadModelKeys.SWITCH, ReadModelKeys.SWITCH_STATE, area.documentsKey(), area.feedKey(), ReadModelKeys.STAGING };
        return transaction.eval(FLIP, ScriptOutputType.INTEGER, keys, area.indexCopiesPrefix(), Long.toString(firstFeedSequence),
                Long.toString(feedRetention), area.id(), "phase", "indexes", "cursor", "0",
                "documents", area.documentsKey(), "operations", area.operationsKey(), "feed", area.feedKey(),
                "count", area.countKey(), "indexes", area.indexesKey(),
                "provisional", Long.toString(area.provisionalPosition()), "position", Long.toString(position),
                "committedAt", committedAt.toString(), "token", token);
    }

    /**
     * Copies a visible staged transaction into place and appends its feed entries, if one is
     * being copied (this projector's, or one a projector that stopped left half-way).
     *
     * @return how many steps it took; 0 when nothing was being copied
     */
    static int finish(RedisCommands<String, String> redis) {
        int steps = 0;
        while (step(redis)) {
            steps++;
        }
        return steps;
    }

    /**
     * One step of the copy, if a visible staged transaction is being copied.
     *
     * @return whether there is more to copy or append
     */
    static boolean step(RedisCommands<String, String> redis) {
        return step(redis, PAGE);
    }

    /** One step of the copy, taking at most {@code page} indexes, values or feed entries; smaller pages are for tests. */
    static boolean step(RedisCommands<String, String> redis, int page) {
        String[] keys = { ReadModelKeys.SWITCH, ReadModelKeys.SWITCH_STATE, ReadModelKeys.FEED, ReadModelKeys.STAGING };
        return !"done".equals(redis.<String>eval(STEP, ScriptOutputType.VALUE, keys, Integer.toString(page)));
    }
}
