/**
 * Tandem's own tables in the target database, schema {@code tandem} (DESIGN.md, "state"),
 * versioned by {@link dev.tandem.state.StateSchema}: {@code releases} (plan fingerprint, status,
 * timings), {@code steps} (phase, ordinal, migration, line, kind, SQL, status, attempts, last
 * error, onlyIf answer, timings), {@code backfill_checkpoints} (last key as a JSON array of text,
 * bound, rows done) and the append-only {@code events} log. {@link dev.tandem.state.StateStore}
 * reads and writes them in the caller's transaction; the records are what {@code migrate status}
 * renders.
 */
package dev.tandem.state;
