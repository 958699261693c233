package dev.tandem.catalog;

import dev.tandem.sql.QualifiedName;
import java.util.Set;
import liquibase.changelog.DatabaseChangeLog;

/**
 * What Liquibase's {@code databasechangelog} table says was run.
 *
 * <p>Keys have Liquibase's own form ({@code RanChangeSet.toString()}):
 * {@code normalizedPath::id::author}, where the path is normalised by
 * {@link DatabaseChangeLog#normalizePath(String)} ({@code classpath:} prefix and leading
 * {@code /} dropped, {@code \} turned into {@code /}). Like Liquibase, {@link #isApplied} compares
 * ids, authors and paths ignoring case. Every row counts, whatever its {@code exectype}
 * ({@code EXECUTED}, {@code MARK_RAN}, {@code RERAN}, …): Liquibase does not run a changeSet
 * again once it has a row, except {@code runAlways} / {@code runOnChange} changeSets, whose
 * checksums are not compared here.
 *
 * @param table             the table that was read, or {@code null} when it does not exist
 * @param appliedChangeSets keys as above, in the table's rows
 */
public record LiquibaseHistory(QualifiedName table, Set<String> appliedChangeSets) {
    public LiquibaseHistory {
        appliedChangeSets = Set.copyOf(appliedChangeSets);
    }

    /** No changelog table: a database Liquibase never updated. */
    public static LiquibaseHistory absent() {
        return new LiquibaseHistory(null, Set.of());
    }

    public boolean present() {
        return table != null;
    }

    /** The key of a changeSet, as stored in {@link #appliedChangeSets()}. */
    public static String key(String id, String author, String filename) {
        return DatabaseChangeLog.normalizePath(filename) + "::" + id + "::" + author;
    }

    /** Whether the changeSet {@code id} by {@code author} in {@code filename} has run. */
    public boolean isApplied(String id, String author, String filename) {
        String wanted = key(id, author, filename);
        for (String k : appliedChangeSets) {
            if (k.equalsIgnoreCase(wanted)) return true;
        }
        return false;
    }
}
