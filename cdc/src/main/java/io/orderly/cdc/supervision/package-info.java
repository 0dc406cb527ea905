/**
 * Who streams, and into what: the projector's lifecycle and lease, the status it publishes, what
 * an engine's failure means, and the switch to a rebuilt generation of the read models.
 */
@NullMarked
package io.orderly.cdc.supervision;

import org.jspecify.annotations.NullMarked;
