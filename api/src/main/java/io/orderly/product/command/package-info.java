/**
 * The write side of the catalog: creating, updating and restocking products in PostgreSQL.
 */
@NullMarked
package io.orderly.product.command;

import org.jspecify.annotations.NullMarked;
