/**
 * The customer read model: one document per customer plus the index that lists customers in
 * registration order.
 */
@NullMarked
package io.orderly.cdc.customer;

import org.jspecify.annotations.NullMarked;
