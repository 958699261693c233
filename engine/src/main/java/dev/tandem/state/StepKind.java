package dev.tandem.state;

import dev.tandem.plan.BackfillStep;
import dev.tandem.plan.SqlStep;
import dev.tandem.plan.Step;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How long a step may legitimately run, which decides its {@code statement_timeout}: catalog-only
 * DDL holds its (often AccessExclusive) lock for milliseconds, so a short timeout bounds the harm
 * of a surprise; a concurrent build, a VALIDATE or a backfill batch scans data under a lock that
 * lets traffic through, and may take as long as it needs.
 */
public enum StepKind {
    /** Catalog-only DDL: short statement timeout. */
    DDL,
    /** {@code CREATE/DROP/REINDEX … CONCURRENTLY}, in autocommit: no statement timeout. */
    CONCURRENT,
    /** {@code VALIDATE CONSTRAINT}: a scan under ShareUpdateExclusiveLock, no statement timeout. */
    VALIDATE,
    /** A batched data change: no statement timeout per batch. */
    BACKFILL;

    private static final Pattern CONCURRENTLY = Pattern.compile("\\bCONCURRENTLY\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern VALIDATE_CONSTRAINT =
            Pattern.compile("\\bVALIDATE\\s+CONSTRAINT\\b", Pattern.CASE_INSENSITIVE);

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StepKind fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    public static StepKind of(Step step) {
        return switch (step) {
            case BackfillStep b -> BACKFILL;
            case SqlStep s -> of(s.sql(), s.transactional());
        };
    }

    /**
     * The kind of a statement as text. A word in a string literal can match too: that errs towards
     * no timeout, never towards cancelling a legitimate long statement.
     */
    public static StepKind of(String sql, boolean transactional) {
        if (!transactional && CONCURRENTLY.matcher(sql).find()) return CONCURRENT;
        if (VALIDATE_CONSTRAINT.matcher(sql).find()) return VALIDATE;
        return DDL;
    }
}
