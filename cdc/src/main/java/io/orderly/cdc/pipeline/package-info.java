/**
 * The seam between where source transactions come from and what applies them: a change source
 * delivers complete transactions in commit order to a sink, and marks its position only for what
 * the sink has taken.
 */
@NullMarked
package io.orderly.cdc.pipeline;

import org.jspecify.annotations.NullMarked;
