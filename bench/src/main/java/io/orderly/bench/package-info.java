/**
 * The benchmark driver: starts Orderly and the SQL-join baseline as processes of their own, seeds a
 * data set, drives load over HTTP, WebSocket and JDBC, and prints the figures as a table.
 */
@NullMarked
package io.orderly.bench;

import org.jspecify.annotations.NullMarked;
