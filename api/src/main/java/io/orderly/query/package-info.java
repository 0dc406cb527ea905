/**
 * Reading the Redis read models, shared by every feature's query side: documents by key, batches
 * of documents in one MGET, and pages of an index. Nothing here queries PostgreSQL.
 */
@NullMarked
package io.orderly.query;

import org.jspecify.annotations.NullMarked;
