package dev.tandem.report;

import dev.tandem.classify.ClassifiedSet;
import dev.tandem.classify.MigrationResult;
import dev.tandem.classify.StatementClass;
import dev.tandem.classify.StatementResult;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counts over a classified set, shared by every format so that they agree.
 *
 * @param verdict           the most severe class of any statement
 * @param statementsByClass every class, in severity order, with its statement count (zeros included)
 * @param migrationsByClass every class, in severity order, with the count of migrations of that class
 * @param findings          unsuppressed findings
 * @param suppressed        findings suppressed by {@code migrate:ignore}
 */
public record Summary(
        StatementClass verdict,
        int migrations,
        int statements,
        Map<StatementClass, Integer> statementsByClass,
        Map<StatementClass, Integer> migrationsByClass,
        int findings,
        int suppressed) {

    public Summary {
        statementsByClass = Collections.unmodifiableMap(new EnumMap<>(statementsByClass));
        migrationsByClass = Collections.unmodifiableMap(new EnumMap<>(migrationsByClass));
    }

    public static Summary of(ClassifiedSet set) {
        Map<StatementClass, Integer> byStatement = zeros();
        Map<StatementClass, Integer> byMigration = zeros();
        int statements = 0;
        int findings = 0;
        int suppressed = 0;
        for (MigrationResult m : set.migrations()) {
            byMigration.merge(m.statementClass(), 1, Integer::sum);
            for (StatementResult s : m.statements()) {
                statements++;
                byStatement.merge(s.classification().statementClass(), 1, Integer::sum);
                findings += s.classification().findings().size();
                suppressed += s.classification().suppressed().size();
            }
        }
        return new Summary(set.worst(), set.migrations().size(), statements, byStatement, byMigration,
                findings, suppressed);
    }

    /** Statements of class {@code c}. */
    public int statements(StatementClass c) {
        return statementsByClass.get(c);
    }

    /** Statements that are not compatible. */
    public int flaggedStatements() {
        return statements - statements(StatementClass.COMPATIBLE);
    }

    private static Map<StatementClass, Integer> zeros() {
        Map<StatementClass, Integer> m = new EnumMap<>(StatementClass.class);
        for (StatementClass c : StatementClass.values()) m.put(c, 0);
        return m;
    }
}
