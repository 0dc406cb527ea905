/**
 * Who the caller is (a validated bearer JWT, over HTTP and graphql-ws) and which operations their
 * roles allow; what they may see of the data is decided by each feature's read and write side.
 */
@NullMarked
package io.orderly.identity;

import org.jspecify.annotations.NullMarked;
