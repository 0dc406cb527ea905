/**
 * The read side of customers: resolving them from the Redis read model only.
 */
@NullMarked
package io.orderly.customer.query;

import org.jspecify.annotations.NullMarked;
