package io.orderly.graphql;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

/**
 * A validated {@code first}/{@code after} pair. Cursors are opaque to clients: base64url of the
 * position in an index, checked for shape when decoded.
 */
public record PageRequest(int first, @Nullable String after) {

    public static final int MAX_PAGE_SIZE = 100;
    public static final int DEFAULT_PAGE_SIZE = 20;

    private static final String CURSOR_PREFIX = "v1:";

    /**
     * @throws InvalidRequestException for a page size outside 0..{@value #MAX_PAGE_SIZE} or a cursor
     * that this server did not issue
     */
    public static PageRequest of(@Nullable Integer first, @Nullable String after) {
        int size = first == null ? DEFAULT_PAGE_SIZE : first;
        if (size < 0 || size > MAX_PAGE_SIZE) {
            throw new InvalidRequestException("first must be between 0 and " + MAX_PAGE_SIZE + ", was " + size);
        }
        return new PageRequest(size, after == null ? null : decode(after));
    }

    public static String encodeCursor(String position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + position).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(CURSOR_PREFIX) && text.length() > CURSOR_PREFIX.length()) {
                return text.substring(CURSOR_PREFIX.length());
            }
        }
        catch (IllegalArgumentException e) {
            // not base64: reported below like any other foreign cursor
        }
        throw new InvalidRequestException("after is not a cursor issued by this API: " + cursor);
    }
}
