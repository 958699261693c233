package dev.tandem.classify;

import dev.tandem.sql.LockMode;

/** A lock a statement takes on a pre-existing table; {@code table} is {@code schema.name}. */
public record TableLock(String table, LockMode mode) {}
