/**
 * What every command handler shares: running a write in one transaction and returning its outcome with a consistency token.
 */
@NullMarked
package io.orderly.command;

import org.jspecify.annotations.NullMarked;
