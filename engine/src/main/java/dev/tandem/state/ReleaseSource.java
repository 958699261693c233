package dev.tandem.state;

import dev.tandem.source.Migration;
import dev.tandem.source.Statement;
import java.util.List;
import java.util.Objects;

/**
 * A migration as a release recorded it: which file, and a checksum of what it says. A run that
 * continues the release compares the files it is given now with these: a migration that changed
 * after the release started (its expand may be applied) is refused, because the stored plan would
 * no longer be what the file says.
 *
 * @param label       the migration's short name (version, or script for a repeatable one)
 * @param script      the file (and for Liquibase, changelog) it came from, as the source names it
 * @param version     the Flyway version, Liquibase changeSet id, or {@code null}
 * @param description the description
 * @param checksum    SHA-256 of its statements as Tandem runs them (placeholders replaced), so a
 *                    change to any statement or {@code -- migrate:} annotation changes it, while
 *                    other comments between statements and line endings do not
 */
public record ReleaseSource(String label, String script, String version, String description, String checksum) {
    public ReleaseSource {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(checksum, "checksum");
    }

    public static ReleaseSource of(Migration m) {
        StringBuilder b = new StringBuilder();
        for (Statement s : m.statements()) {
            b.append(s.sql().strip().replace("\r\n", "\n")).append('\u0000');
            // annotations (-- migrate:backfill …) change the plan as much as the SQL does
            for (String a : s.annotations()) b.append(a).append('\u0001');
            b.append('\n');
        }
        b.append(m.transactional() ? "tx" : "no-tx");
        return new ReleaseSource(m.label(), m.script(), m.version(), m.description(), Sha256.hex(b.toString()));
    }

    public static List<ReleaseSource> of(List<Migration> migrations) {
        return migrations.stream().map(ReleaseSource::of).toList();
    }

    /** The same migration file: what a checksum is compared within. */
    public boolean sameMigration(ReleaseSource other) {
        return script.equals(other.script) && Objects.equals(version, other.version);
    }
}
