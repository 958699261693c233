package dev.tandem.classify;

import java.util.List;

/**
 * The verdict on one statement.
 *
 * @param statementClass the most severe class among the (unsuppressed) findings; compatible if none
 * @param locks          locks taken on pre-existing tables, strongest per table, in statement order
 * @param rewrites       pre-existing tables rewritten ({@code schema.name})
 * @param scans          pre-existing tables read in full (under whatever lock the statement holds)
 * @param findings       unsuppressed findings
 * @param suppressed     ids of rules that fired but were suppressed by {@code migrate:ignore}
 */
public record Classification(
        StatementClass statementClass,
        List<TableLock> locks,
        List<String> rewrites,
        List<String> scans,
        List<Finding> findings,
        List<String> suppressed) {
    public Classification {
        locks = List.copyOf(locks);
        rewrites = List.copyOf(rewrites);
        scans = List.copyOf(scans);
        findings = List.copyOf(findings);
        suppressed = List.copyOf(suppressed);
    }
}
