/**
 * The read side of the change feed: one blocking reader per process fans the feed out to every
 * subscription, which can resume from a cursor; and the {@code changes} subscription itself.
 */
@NullMarked
package io.orderly.feed;

import org.jspecify.annotations.NullMarked;
