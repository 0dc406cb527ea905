package io.orderly.cdc.readmodel;

import java.util.regex.Pattern;

/** PostgreSQL log sequence numbers in their textual form {@code "16/B374D848"}. */
public final class Lsn {

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
            if (high < 0 || high > 0xFFFFFFFFL || low < 0 || low > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("not a log sequence number: " + text);
            }
            return (high << 32) | low;
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a log sequence number: " + text, e);
        }
    }
}
