package dev.tandem.state;

import dev.tandem.plan.Phase;
import java.time.Instant;

/**
 * A step as recorded in {@code tandem.steps}.
 *
 * @param ordinal      0-based position in its phase
 * @param sql          the step's SQL, or for a backfill a description of the batched statement
 * @param rollback     the SQL that undoes it, or {@code null}
 * @param irreversible why it cannot be undone, or {@code null}
 * @param contentHash  SHA-256 of what the step runs (the release fingerprint is built from these)
 * @param attempts     attempts made by all runs together
 * @param lastError    the PostgreSQL message of the last failed attempt, or {@code null}
 * @param lastSqlState its SQLSTATE, or {@code null}
 * @param onlyIf       the answer of the step's {@code onlyIf} guard, kept once asked; {@code null}
 *                     before, or when the step has no guard
 */
public record StepRecord(
        long id,
        long releaseId,
        Phase phase,
        int ordinal,
        String migration,
        int line,
        StepKind kind,
        boolean transactional,
        String sql,
        String rollback,
        String irreversible,
        String contentHash,
        StepStatus status,
        int attempts,
        String lastError,
        String lastSqlState,
        Boolean onlyIf,
        Instant started,
        Instant finished) {}
