/**
 * Read-your-writes: waiting, bounded, until the read models contain a given write.
 */
@NullMarked
package io.orderly.consistency;

import org.jspecify.annotations.NullMarked;
