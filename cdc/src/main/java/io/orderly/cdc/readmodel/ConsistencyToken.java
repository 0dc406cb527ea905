package io.orderly.cdc.readmodel;

/**
 * Identifies a committed write so that a reader can wait until the read models contain it.
 *
 * <p>{@code txId} is the PostgreSQL transaction id (32 bits, as logical decoding reports it) and
 * {@code position} a WAL position taken after the commit. The write is visible once the projector
 * has recorded {@code txId} as applied, or once its watermark has reached {@code position} (which
 * covers transaction ids that have aged out of the applied set). Its text form is
 * {@code "<LSN>@<txId>"}, e.g. {@code "0/1A2B3C8@771"}.
 */
public record ConsistencyToken(long position, long txId) {

    public static ConsistencyToken parse(String text) {
        int at = text.indexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException("malformed consistency token: " + text);
        }
        String txId = text.substring(at + 1);
        if (!txId.matches("[0-9]{1,10}") || Long.parseLong(txId) > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("malformed consistency token: " + text);
        }
        try {
            return new ConsistencyToken(Lsn.parse(text.substring(0, at)), Long.parseLong(txId));
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed consistency token: " + text, e);
        }
    }

    /** Whether a projector at {@code watermark} has certainly applied this write. */
    public boolean isCoveredBy(Watermark watermark) {
        return watermark.position() >= position;
    }

    @Override
    public String toString() {
        return Lsn.format(position) + "@" + txId;
    }
}
