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

    /** A member ordered by time (microsecond precision, as PostgreSQL keeps it; from 1970 on), then by id. */
    public static String timeOrdered(Instant time, String id) {
        return numberOrdered(ChronoUnit.MICROS.between(Instant.EPOCH, time), id);
    }

    /** A member ordered by a text key (names, say), then by id. */
    public static String textOrdered(String key, String id) {
        return key + "|" + id;
    }

    /** A member ordered by a non-negative number, then by id. */
    public static String numberOrdered(long number, String id) {
        if (number < 0) {
            return String.format("%019d|%s", number, id);
        }
        // As the format above, without parsing a pattern for every member of every page read.
        String digits = Long.toString(number);
        return "0".repeat(19 - digits.length()) + digits + "|" + id;
    }

    /** The id part of a member built by this class: ids never contain '|', sort keys may. */
    public static String id(String member) {
        return member.substring(member.lastIndexOf('|') + 1);
    }
}
