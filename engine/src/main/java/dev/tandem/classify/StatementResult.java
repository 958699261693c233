package dev.tandem.classify;

import dev.tandem.source.Statement;
import dev.tandem.sql.Change;

/** A statement, what the parser made of it, and its classification. */
public record StatementResult(Statement statement, Change change, Classification classification) {}
