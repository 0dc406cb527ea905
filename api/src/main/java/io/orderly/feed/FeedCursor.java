package io.orderly.feed;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.orderly.graphql.InvalidRequestException;

/**
 * A position in the change feed, opaque to clients: the feed's epoch and the sequence number of
 * the last entry seen. A cursor of another epoch belongs to a feed that has since been rebuilt.
 */
public record FeedCursor(String epoch, long sequence) {

    private static final String PREFIX = "f1:";

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + epoch + ":" + sequence).getBytes(StandardCharsets.UTF_8));
    }

    /** @throws InvalidRequestException for text this API did not issue */
    public static FeedCursor decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = text.lastIndexOf(':');
            if (text.startsWith(PREFIX) && colon > PREFIX.length()) {
                long sequence = Long.parseLong(text.substring(colon + 1));
                if (sequence >= 0) {
                    return new FeedCursor(text.substring(PREFIX.length(), colon), sequence);
                }
            }
        }
        catch (IllegalArgumentException e) {
            // not base64 or no number: reported below like any other foreign cursor
        }
        throw new InvalidRequestException("after is not a change-feed cursor issued by this API: " + cursor);
    }
}
