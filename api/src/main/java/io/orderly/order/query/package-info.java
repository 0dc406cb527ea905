/**
 * The read side of orders: orders and their lines resolved from the Redis read model only.
 */
@NullMarked
package io.orderly.order.query;

import org.jspecify.annotations.NullMarked;
