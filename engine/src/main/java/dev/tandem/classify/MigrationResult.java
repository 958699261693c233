package dev.tandem.classify;

import dev.tandem.source.Migration;
import java.util.List;

/** A migration with its classified statements; its class is its most severe statement's. */
public record MigrationResult(Migration migration, StatementClass statementClass, List<StatementResult> statements) {
    public MigrationResult {
        statements = List.copyOf(statements);
    }
}
