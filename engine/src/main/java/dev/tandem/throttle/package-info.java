/**
 * When a backfill must wait: health signals of the database (replication lag, slot retention,
 * sessions blocked behind the backfill, old transactions, autovacuum on the table, user checks),
 * each read on its own schedule, with hysteresis, failing closed.
 */
package dev.tandem.throttle;
