/**
 * The order read model: one document per order with its lines, the order indexes, and the order
 * statistics it keeps on customers and products.
 */
@NullMarked
package io.orderly.cdc.order;

import org.jspecify.annotations.NullMarked;
