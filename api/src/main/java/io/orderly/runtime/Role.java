package io.orderly.runtime;

/** The parts of Orderly a process can run; {@code orderly.roles} lists them, all three by default. */
public enum Role {
    /** Serves GraphQL mutations and owns the schema migrations. */
    COMMAND,
    /** Serves GraphQL queries and subscriptions from the read models. */
    QUERY,
    /** Streams PostgreSQL changes into the read models. */
    PROJECTOR
}
