package io.orderly.cdc.apply;

import io.orderly.cdc.readmodel.Watermark;

/**
 * Thrown when the watermark in Redis is not the one this projector last wrote: another projector
 * is writing the same read models, so this one must stop rather than interleave its writes.
 */
public final class ProjectorFencedException extends RuntimeException {

    private final boolean watermarkVanished;

    ProjectorFencedException(Watermark expected, Watermark found) {
        super("Read-model watermark moved under this projector: expected position " + expected.position()
                + " but found " + found.position() + " (tx " + found.txId() + "); is another projector running?");
        this.watermarkVanished = expected.exists() && !found.exists();
    }

    /** Whether the watermark is simply gone: Redis lost its data, and the read models must be rebuilt. */
    public boolean watermarkVanished() {
        return watermarkVanished;
    }
}
