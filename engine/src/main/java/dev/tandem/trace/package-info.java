/**
 * Traced plans: statements run on a scratch database while Tandem watches what PostgreSQL really
 * does (locks in {@code pg_locks}, rewrites by event trigger and {@code relfilenode}, full scans in
 * {@code pg_stat_xact_user_tables}, the DDL commands by event trigger), to set beside the static
 * verdict of the rules. Never on the user's own database: {@link ScratchDatabase} creates one of
 * its own on the server it is given and drops it afterwards.
 */
package dev.tandem.trace;
