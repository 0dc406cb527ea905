package io.orderly.identity;

/** The roles a token's {@code roles} claim may grant; see the permission table in docs/security.md. */
public enum UserRole {
    /** A customer: sees and changes only the customer bound to its subject, and that customer's orders. */
    CUSTOMER,
    /** Back-office staff: every customer and order, the catalog, shipping. */
    STAFF,
    /** Staff who also operate the system (metrics, read-model check, rebuild). */
    ADMIN
}
