/**
 * The read side of the catalog: products resolved from the Redis read model only.
 */
@NullMarked
package io.orderly.product.query;

import org.jspecify.annotations.NullMarked;
