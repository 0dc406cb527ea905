package io.orderly.cdc.readmodel;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Builds members of lexicographically ordered sorted sets (every score 0), which give a stable
 * keyset order that does not shift when entries are added or removed around a cursor.
 */
public final class IndexMembers {

    private IndexMembers() {
    }

    /** A member ordered by time (microsecond precision, as PostgreSQL keeps it), then by id. */
    public static String timeOrdered(Instant time, String id) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, time);
        return String.format("%019d|%s", micros, id);
    }

    /** The id part of a member built by this class. */
    public static String id(String member) {
        return member.substring(member.indexOf('|') + 1);
    }
}
