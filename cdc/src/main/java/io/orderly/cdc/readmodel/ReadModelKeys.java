package io.orderly.cdc.readmodel;

import java.util.List;

/**
 * The Redis key layout of the read models and of the projector's bookkeeping. Every key Orderly
 * writes starts with {@value #PREFIX}; nothing else in the code spells a key.
 *
 * <p>A generation of read models lives in one Redis database: the documents and indexes, with the
 * watermark, applied transactions, engine offsets and slot that describe them. A rebuild builds the
 * next generation in a spare database and swaps the two; the keys in
 * {@link #KEPT_ACROSS_GENERATIONS} belong to the running system rather than to one generation, and
 * stay where clients find them.
 */
public final class ReadModelKeys {

    public static final String PREFIX = "orderly:";

    /** Sorted set (all scores 0) of {@link CustomerDocument#indexMember()} values: customers in registration order. */
    public static final String CUSTOMERS = PREFIX + "customers";

    /** Products by case-insensitive name (lexicographic members, see {@link ProductDocument#nameMember()}). */
    public static final String PRODUCTS_BY_NAME = PREFIX + "products:by-name";

    /** Products by price ({@link ProductDocument#priceMember()}). */
    public static final String PRODUCTS_BY_PRICE = PREFIX + "products:by-price";

    /** Products by units sold ({@link ProductDocument#unitsSoldMember()}); read in reverse for top sellers. */
    public static final String PRODUCTS_BY_UNITS_SOLD = PREFIX + "products:by-units-sold";

    /** All orders by placement time ({@link OrderDocument#indexMember()}); read in reverse for newest first. */
    public static final String ORDERS = PREFIX + "orders";

    /** The change feed: a Redis Stream of {@link FeedEntry}s. */
    public static final String FEED = PREFIX + "feed";

    /**
     * A random name for the current feed history. A rebuild from a fresh snapshot starts a new
     * feed with a new epoch, so positions in the old one are recognisably stale.
     */
    public static final String FEED_EPOCH = PREFIX + "feed:epoch";

    /** Hash with the last applied transaction: see {@link Watermark}. */
    public static final String WATERMARK = PREFIX + "projector:watermark";

    /** Sorted set of recently applied transaction ids, scored by their commit position. */
    public static final String APPLIED_TRANSACTIONS = PREFIX + "projector:applied";

    /** How many transaction ids {@link #APPLIED_TRANSACTIONS} keeps. */
    public static final int APPLIED_TRANSACTIONS_KEPT = 100_000;

    /** Hash with the projector's lifecycle state and heartbeat: see {@link ProjectorStatus}. */
    public static final String PROJECTOR_STATUS = PREFIX + "projector:status";

    /** Hash with the write store's WAL position and slot size: see {@link SourceStatus}. */
    public static final String SOURCE_STATUS = PREFIX + "source:status";

    /** Hash with the progress of the last snapshot: see {@link SnapshotProgress}. */
    public static final String SNAPSHOT_PROGRESS = PREFIX + "projector:snapshot";

    /** Plain key naming the projector process that may stream (see the projector's lease). */
    public static final String PROJECTOR_LEASE = PREFIX + "projector:lease";

    /** Hash holding the Debezium engine's source offsets. */
    public static final String ENGINE_OFFSETS = PREFIX + "projector:offsets";

    /**
     * Hash holding, for a projector fed from Kafka, the offset of the next record to read of each
     * topic partition ({@code "<topic>:<partition>"}), for the read models of this database.
     */
    public static final String KAFKA_OFFSETS = PREFIX + "projector:kafka-offsets";

    /**
     * Plain key holding, for a projector fed from Kafka, the commit position of a streamed
     * transaction the read models of this database hold (the highest known when the offsets were
     * stored: of the last one released, or of an END read again at or below the watermark), which
     * the watermark does not tell once a snapshot left it at the snapshot's position.
     */
    public static final String KAFKA_APPLIED_COMMIT = PREFIX + "projector:kafka-applied-commit";

    /** Plain key naming the replication slot whose stream the read models of this database follow. */
    public static final String SLOT = PREFIX + "projector:slot";

    /** Plain key, present while an operator's request to rebuild the read models is pending or under way. */
    public static final String REBUILD_REQUEST = PREFIX + "projector:rebuild";

    /** Pub/sub channel announcing each applied transaction as {@code "<position> <txId>"}. */
    public static final String APPLIED_CHANNEL = PREFIX + "applied";

    /**
     * Set of the stagings under way, each {@code <txId>:<applier>}: a transaction too large to
     * apply in one step is projected into keys under {@code orderly:staging:<txId>:<applier>:}
     * that no reader looks at until it is made visible in one atomic step (then readers read them
     * through {@link #SWITCH} until they are in place). The applier part keeps two projectors (one
     * about to be fenced off) from ever writing into each other's staging. Whatever is listed here
     * is not visible yet, and stale unless its projector is still staging it.
     */
    public static final String STAGING = PREFIX + "staging";

    /**
     * Present only while a staged transaction that is already visible is being copied into place:
     * the name of the hash of its writes not copied yet ({@link #stagedDocuments}), whose values
     * readers take over the keys' own. Each field is a read-model key (a document or a lookup
     * value) and its value the key's new value, {@link #STAGED_DELETION} for a key deleted.
     */
    public static final String SWITCH = PREFIX + "switch";

    /**
     * Hash of where the projector is in copying a visible staged transaction into place, present
     * from the step that made it visible until the last of its feed entries is appended: a
     * projector that stopped half-way is followed by one that finishes the copy first.
     */
    public static final String SWITCH_STATE = PREFIX + "switch:state";

    /**
     * Hash of the documents and lookup values a staged transaction wrote, by their key;
     * {@link #STAGED_DELETION} for one it deleted.
     */
    public static String stagedDocuments(String staging) {
        return STAGING + ":" + staging + ":documents";
    }

    /**
     * List of a staged transaction's index writes, in order, replayed into copies of their
     * indexes before it is made visible: each entry a JSON array of one kind of write, its index
     * and members.
     */
    public static String stagedOperations(String staging) {
        return STAGING + ":" + staging + ":operations";
    }

    /** Set of the indexes a staged transaction writes, each copied under {@link #stagedIndexCopies}. */
    public static String stagedIndexes(String staging) {
        return STAGING + ":" + staging + ":indexes";
    }

    /**
     * What the copy of an index a staged transaction writes is named after: the prefix, then the
     * index's own key. The copies are renamed over their indexes, a page at a time, after the step
     * that makes the transaction visible; readers read them through {@link #SWITCH} until then.
     */
    public static String stagedIndexCopies(String staging) {
        return STAGING + ":" + staging + ":index:";
    }

    /** Hash of a staged transaction's change-feed entries, one per document key. */
    public static String stagedFeed(String staging) {
        return STAGING + ":" + staging + ":feed";
    }

    /**
     * Count of the documents, values and operations staged for a transaction, by which its projector tells
     * a whole staging from one that another discarded or wrote into.
     */
    public static String stagedWrites(String staging) {
        return STAGING + ":" + staging + ":writes";
    }

    /** The value {@link #stagedDocuments} holds for a document the transaction deleted. */
    public static final String STAGED_DELETION = "";

    /** Keys of the running system, not of one generation of read models: a rebuild leaves them in place. */
    public static final List<String> KEPT_ACROSS_GENERATIONS = List.of(FEED, FEED_EPOCH, PROJECTOR_STATUS, SOURCE_STATUS,
            SNAPSHOT_PROGRESS, PROJECTOR_LEASE, REBUILD_REQUEST);

    private ReadModelKeys() {
    }

    public static String customer(String id) {
        return PREFIX + "customer:" + id;
    }

    /** Plain string key holding the id of the customer bound to this identity-provider subject. */
    public static String customerBySubject(String subject) {
        return PREFIX + "customer-subject:" + subject;
    }

    /**
     * Plain key, with a short expiry, holding the consistency token of the latest write by this
     * identity-provider subject, so that the subject's reads on any process wait for it. The command
     * side writes it after each commit; it is not part of a generation of read models.
     */
    public static String subjectToken(String subject) {
        return PREFIX + "subject-token:" + subject;
    }

    public static String product(String id) {
        return PREFIX + "product:" + id;
    }

    /** Plain string key holding the id of the product with this sku. */
    public static String productBySku(String sku) {
        return PREFIX + "product-sku:" + sku;
    }

    public static String order(String id) {
        return PREFIX + "order:" + id;
    }

    /** Orders of one status, by placement time. */
    public static String ordersWithStatus(String status) {
        return PREFIX + "orders:status:" + status;
    }

    /** One customer's orders, by placement time. */
    public static String customerOrders(String customerId) {
        return PREFIX + "customer:" + customerId + ":orders";
    }

    /** One customer's orders of one status, by placement time. */
    public static String customerOrdersWithStatus(String customerId, String status) {
        return PREFIX + "customer:" + customerId + ":orders:" + status;
    }
}
