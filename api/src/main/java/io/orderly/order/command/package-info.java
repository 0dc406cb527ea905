/**
 * The write side of orders: placing them (reserving stock) and moving them through their life cycle in PostgreSQL.
 */
@NullMarked
package io.orderly.order.command;

import org.jspecify.annotations.NullMarked;
