package dev.tandem.classify;

import java.util.List;

/** Every migration of a set, classified against the given PostgreSQL version. */
public record ClassifiedSet(PgVersion postgresVersion, List<MigrationResult> migrations) {
    public ClassifiedSet {
        migrations = List.copyOf(migrations);
    }

    /** The most severe class of any statement; compatible for an empty set. */
    public StatementClass worst() {
        return migrations.stream().map(MigrationResult::statementClass)
                .reduce(StatementClass.COMPATIBLE, StatementClass::max);
    }
}
