package dev.tandem.plan;

import dev.tandem.classify.TableLock;
import java.util.List;
import java.util.Objects;

/**
 * One SQL statement the executor runs.
 *
 * <p>How the executor runs it (the contract the recipes are written against):
 * <ol>
 *   <li>Before every attempt, the first one included: when {@link #cleanup()} is set and its
 *       {@code when} query returns a row, run its {@code sql} (in autocommit). It removes what a
 *       failed earlier attempt left behind, e.g. the INVALID index of an interrupted
 *       {@code CREATE INDEX CONCURRENTLY}: PostgreSQL leaves one whenever such a build fails,
 *       including when it hits {@code lock_timeout}, and {@code IF NOT EXISTS} would then skip the
 *       rebuild.</li>
 *   <li>Before the first attempt only: when {@link #onlyIf()} is set and returns no row, the step
 *       is skipped and recorded as skipped; a skipped step has nothing to roll back. Its answer is
 *       kept for the retries (a retry must not skip a step that its own first attempt half did).</li>
 *   <li>A {@link #transactional()} step runs in a transaction of its own, which also records the
 *       step as done: it runs exactly once. A non-transactional step (CONCURRENTLY, which
 *       PostgreSQL refuses inside a transaction block) runs in autocommit and its SQL is written so
 *       that running it again after an interruption is harmless ({@code IF [NOT] EXISTS}).</li>
 *   <li>The executor sets {@code lock_timeout} and retries on lock timeouts; {@link #locks()} is
 *       what it should expect to wait for.</li>
 * </ol>
 *
 * @param migration     see {@link Step#migration()}
 * @param line          see {@link Step#line()}
 * @param purpose       see {@link Step#purpose()}
 * @param sql           one statement without a trailing semicolon; a transactional step may hold
 *                      several, separated by {@code ";\n"}, that must commit together (a swap of
 *                      names, a table renamed and a view created in its place): the executor runs
 *                      them in the step's one transaction
 * @param transactional whether it may run inside a transaction block (see above)
 * @param locks         the table locks the step is expected to take, strongest per table; empty
 *                      when it takes none on an existing table or the table is not known
 * @param onlyIf        a query, or {@code null}: the step runs only if it returns a row (see above)
 * @param cleanup       what to remove before every attempt, or {@code null}
 * @param rollback      what undoes the step, or {@code null} (nothing to undo, or irreversible: see
 *                      {@code irreversible}); like {@code sql} it may hold several statements for
 *                      a transactional step, run in one transaction
 * @param irreversible  {@code null} when the step can be undone, else why not
 * @param destructive   whether the step deletes data (DROP TABLE, DROP COLUMN, TRUNCATE): only
 *                      ever in contract, and shown as such in every report
 */
public record SqlStep(
        String migration,
        int line,
        String purpose,
        String sql,
        boolean transactional,
        List<TableLock> locks,
        String onlyIf,
        Cleanup cleanup,
        String rollback,
        String irreversible,
        boolean destructive)
        implements Step {

    public SqlStep {
        Objects.requireNonNull(migration, "migration");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(sql, "sql");
        locks = List.copyOf(locks);
        if (rollback != null && irreversible != null) {
            throw new IllegalArgumentException("a step with rollback SQL is not irreversible: " + sql);
        }
        if (destructive && irreversible == null) {
            throw new IllegalArgumentException("a destructive step cannot be undone: say why: " + sql);
        }
        if (!transactional && sql.contains(";\n")) {
            throw new IllegalArgumentException("only a transactional step may hold several statements: " + sql);
        }
    }

    /**
     * Run {@code sql} (in autocommit) before an attempt when the query {@code when} returns a row.
     * Both are single statements; {@code sql} is itself harmless to repeat.
     */
    public record Cleanup(String when, String sql) {
        public Cleanup {
            Objects.requireNonNull(when, "when");
            Objects.requireNonNull(sql, "sql");
        }
    }

    /** Whether rolling the step back means running {@link #rollback()}. */
    public boolean hasRollback() {
        return rollback != null;
    }
}
