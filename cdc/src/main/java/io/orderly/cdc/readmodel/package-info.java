/**
 * The read-model contract shared by the projector (its writer) and the query side (its reader): the
 * Redis key layout, the document records, the projector's watermark and the consistency token.
 */
@NullMarked
package io.orderly.cdc.readmodel;

import org.jspecify.annotations.NullMarked;
