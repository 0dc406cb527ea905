package io.orderly.graphql;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

/**
 * A validated page of a connection: {@code first}/{@code after} pages forward, {@code last}/{@code before}
 * backward (the {@code size} entries right before the cursor, or at the end). Cursors are opaque to
 * clients: base64url of the position in an index, checked for shape when decoded.
 */
public record PageRequest(int size, @Nullable String cursor, boolean backward) {

    public static final int MAX_PAGE_SIZE = 100;
    public static final int DEFAULT_PAGE_SIZE = 20;

    private static final String CURSOR_PREFIX = "v1:";

    /** A forward page. */
    public static PageRequest of(@Nullable Integer first, @Nullable String after) {
        return of(first, after, null, null);
    }

    /**
     * @throws InvalidRequestException for a page size outside 0..{@value #MAX_PAGE_SIZE}, a cursor
     * that this server did not issue, or arguments of both directions
     */
    public static PageRequest of(@Nullable Integer first, @Nullable String after, @Nullable Integer last, @Nullable String before) {
        boolean backward = last != null || before != null;
        if (backward && (first != null || after != null)) {
            throw new InvalidRequestException("Page forward with first/after or backward with last/before, not both at once");
        }
        Integer requested = backward ? last : first;
        int size = requested == null ? DEFAULT_PAGE_SIZE : requested;
        if (size < 0 || size > MAX_PAGE_SIZE) {
            throw new InvalidRequestException((backward ? "last" : "first") + " must be between 0 and " + MAX_PAGE_SIZE + ", was " + size);
        }
        String cursor = backward ? before : after;
        return new PageRequest(size, cursor == null ? null : decode(cursor, backward ? "before" : "after"), backward);
    }

    /** Whether an index member lies on the requested side of the cursor, in an index read in this order. */
    public boolean includes(String member, boolean descending) {
        if (cursor == null) {
            return true;
        }
        int comparison = member.compareTo(cursor);
        return descending != backward ? comparison < 0 : comparison > 0;
    }

    public static String encodeCursor(String position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + position).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor, String argument) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(CURSOR_PREFIX) && text.length() > CURSOR_PREFIX.length()) {
                return text.substring(CURSOR_PREFIX.length());
            }
        }
        catch (IllegalArgumentException e) {
            // not base64: reported below like any other foreign cursor
        }
        throw new InvalidRequestException(argument + " is not a cursor issued by this API: " + cursor);
    }
}
