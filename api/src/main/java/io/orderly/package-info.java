/**
 * Orderly, a CQRS order-management back office behind a GraphQL API; {@link io.orderly.Orderly} boots it.
 */
@NullMarked
package io.orderly;

import org.jspecify.annotations.NullMarked;
