package dev.tandem.source;

import java.util.List;
import java.util.Set;

/**
 * One SQL statement of a migration, as written, with where it came from.
 *
 * @param sql          the statement text without its trailing semicolon and without the comments
 *                     that precede it (for {@code COPY … FROM stdin} the data block is not included)
 * @param line         1-based line in {@code file} where the statement's first token is
 * @param ignoredRules rule ids suppressed for this statement by a {@code -- migrate:ignore a, b}
 *                     comment right before it (file-level suppressions are on {@link Migration})
 * @param annotations  other Tandem directives that preceded the statement, without the
 *                     {@code migrate:} prefix, e.g. {@code "backfill lower(email)"}; kept for the
 *                     planner
 */
public record Statement(String sql, int line, Set<String> ignoredRules, List<String> annotations) {
    public Statement {
        ignoredRules = Set.copyOf(ignoredRules);
        annotations = List.copyOf(annotations);
    }

    public static Statement of(String sql, int line) {
        return new Statement(sql, line, Set.of(), List.of());
    }
}
