package io.orderly.feed;

import io.orderly.graphql.ErrorCodes;
import io.orderly.graphql.OperationRefusedException;

/**
 * A subscription fell so far behind that its buffer filled up; it is ended rather than allowed
 * to slow the feed down for everyone or to grow without bound. The client resumes with
 * {@code changes(after:)} from the last cursor it received.
 */
public class SlowSubscriberException extends OperationRefusedException {

    public SlowSubscriberException(int buffer) {
        super(ErrorCodes.SUBSCRIBER_TOO_SLOW, "This subscription fell more than " + buffer
                + " changes behind and was ended; subscribe again with changes(after: <the last cursor you received>)"
                + " to resume without a gap");
    }
}
