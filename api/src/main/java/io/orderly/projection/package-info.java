/**
 * The projector's place in the application: its wiring for the projector role and the {@code projection} status query.
 */
@NullMarked
package io.orderly.projection;

import org.jspecify.annotations.NullMarked;
