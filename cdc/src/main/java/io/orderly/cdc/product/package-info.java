/**
 * The product read model: one document per product with its sales, the sku lookup, and the
 * indexes by name, price and units sold.
 */
@NullMarked
package io.orderly.cdc.product;

import org.jspecify.annotations.NullMarked;
