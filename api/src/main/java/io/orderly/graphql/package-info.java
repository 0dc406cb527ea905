/**
 * GraphQL plumbing shared by every feature: scalars, money, connections and cursors, user errors and the one error-mapping advice.
 */
@NullMarked
package io.orderly.graphql;

import org.jspecify.annotations.NullMarked;
