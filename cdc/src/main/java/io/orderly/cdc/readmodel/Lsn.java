package io.orderly.cdc.readmodel;

import java.util.regex.Pattern;

/**
 * PostgreSQL log sequence numbers in their textual form {@code "16/B374D848"}.
 *
 * <p>PostgreSQL's LSNs are unsigned 64-bit numbers; here they are held in {@code long}s and
 * compared with {@code <}, so only {@code 0/0} to {@code 7FFFFFFF/FFFFFFFF} are accepted. A larger
 * one would read as negative, below every real position; no server writes 8 EiB of WAL.
 */
public final class Lsn {

    private static final long MAX_HIGH_HALF = Long.MAX_VALUE >>> 32;
    private static final Pattern HEX_HALVES = Pattern.compile("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}");

    private Lsn() {
    }

    public static String format(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }

    /** @throws IllegalArgumentException when the text is not an LSN */
    public static long parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || !HEX_HALVES.matcher(text).matches()) {
            throw new IllegalArgumentException("not a log sequence number: " + text);
        }
        try {
            long high = Long.parseLong(text.substring(0, slash), 16);
            long low = Long.parseLong(text.substring(slash + 1), 16);
            if (high > MAX_HIGH_HALF || low > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("not a log sequence number: " + text
                        + " (positions go up to " + format(Long.MAX_VALUE) + ")");
            }
            return (high << 32) | low;
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a log sequence number: " + text, e);
        }
    }
}
