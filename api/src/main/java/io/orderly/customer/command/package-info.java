/**
 * The write side of customers: registering and updating them in PostgreSQL.
 */
@NullMarked
package io.orderly.customer.command;

import org.jspecify.annotations.NullMarked;
