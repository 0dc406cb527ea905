package io.orderly.cdc.kafka;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.connect.data.Struct;
import org.jspecify.annotations.Nullable;

/**
 * What the reassembler knows the read models hold: every transaction at or below {@link #position}
 * (the last one released, or the watermark), the latest transactions finished, whose records Kafka
 * may deliver again, and the commit position of a streamed transaction the read models hold, by
 * which a row tells that its own transaction is applied without its END.
 *
 * <p>Debezium streams transactions in commit order and gives each row, in {@code source.sequence}
 * ({@code ["<lastCommitLsn>","<lsn>"]}), the commit position of the transaction it streamed just
 * before the row's, and the row's own position: a row whose last commit and own position are both
 * below the commit of an applied transaction belongs to that transaction or to an earlier one,
 * which the read models hold too ({@link #includesTransactionOf}). Only a commit tells
 * this. The watermark a snapshot leaves is the snapshot's position, and the first transactions
 * streamed after it may name an earlier commit without being in the read models; so the commit
 * known here is that of a streamed transaction released, or whose END was read at or below the
 * position, or the one stored with the offsets, never the watermark as such. While none is known
 * (0), and for a row whose last commit or position is missing or unreadable, a row tells nothing.
 * All this holds while the connector's offsets are not moved behind its replication slot (see
 * docs/kafka.md): from such a slot, a transaction that began before the applied commit and was
 * streamed first names a stale last commit, and the first of its rows read that was written before
 * that commit drops the whole transaction, the rows held of it and every later one, unless its END
 * was read before.
 */
final class AppliedTransactions {

    /** How many finished transactions are remembered, against late copies of their records. */
    static final int FINISHED_KEPT = 100_000;

    /** A {@code source.sequence}, {@code ["<lastCommitLsn>","<lsn>"]}, either of which may be null. */
    private static final Pattern SEQUENCE = Pattern.compile("\\[\\s*(?:\"(\\d{1,18})\"|null)\\s*,\\s*(?:\"(\\d{1,18})\"|null)\\s*]");

    private final Set<Long> finished = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > FINISHED_KEPT;
        }
    });
    private long position;
    private long commit;

    /**
     * @param watermark the position the read models have applied up to
     * @param storedCommit the commit position stored with the offsets ({@link KafkaOffsets#appliedCommit}), 0 if none;
     * one above the watermark is not one the read models hold, and is ignored
     */
    AppliedTransactions(long watermark, long storedCommit) {
        this.position = watermark;
        this.commit = storedCommit <= watermark ? storedCommit : 0;
    }

    /** The position of the last transaction released, or the watermark: every transaction at or below it is applied. */
    long position() {
        return position;
    }

    /** The commit position of a streamed transaction known applied, 0 if none. */
    long commit() {
        return commit;
    }

    /** Notes a streamed transaction released, whose END is at {@code commitPosition}. */
    void released(long txId, long commitPosition) {
        finish(txId);
        position = commitPosition;
        commit = commitPosition;
    }

    /** Notes the END, at or below {@link #position}, of a transaction the read models hold, read again. */
    void endReadAgain(long txId, long commitPosition) {
        finish(txId);
        commit = Math.max(commit, commitPosition);
    }

    /** Notes a transaction whose records are to be dropped if Kafka delivers them again. */
    void finish(long txId) {
        finished.add(txId);
    }

    /** Whether the transaction is one of the latest finished. */
    boolean isFinished(long txId) {
        return finished.contains(txId);
    }

    /**
     * Whether the transaction of this streamed row is surely applied: both the last commit its
     * {@code source.sequence} names and the row's own position are below the applied commit. The
     * second guards against a last commit Debezium took from offsets behind its replication slot
     * (a slot created again): a change at or after the applied commit cannot belong to a
     * transaction committed at or before it.
     */
    boolean includesTransactionOf(Struct row) {
        Struct source = row.getStruct("source");
        @Nullable String sequence = source.schema().field("sequence") == null ? null : source.getString("sequence");
        Matcher parts = SEQUENCE.matcher(sequence == null ? "" : sequence);
        if (!parts.matches() || parts.group(1) == null || parts.group(2) == null) {
            return false;
        }
        long lastCommit = Long.parseLong(parts.group(1));
        return lastCommit > 0 && lastCommit < commit && Long.parseLong(parts.group(2)) < commit;
    }
}
