package dev.tandem.classify;

import dev.tandem.source.Statement;
import dev.tandem.sql.Change;

/**
 * A statement, what the parser made of it, and its classification; {@code trace} is how it was
 * traced, or {@code null} when the rules alone judged it.
 */
public record StatementResult(Statement statement, Change change, Classification classification, StatementTrace trace) {
    public StatementResult(Statement statement, Change change, Classification classification) {
        this(statement, change, classification, null);
    }

    public boolean traced() {
        return trace != null;
    }
}
