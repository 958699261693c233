package dev.tandem.classify;

import dev.tandem.catalog.SchemaModel;
import dev.tandem.sql.Change;
import java.util.List;

/**
 * The table-level locks a statement takes, per PostgreSQL's documentation of each command
 * (ALTER TABLE takes the strongest lock of its subcommands; FOREIGN KEY also locks the referenced
 * table; …). Pure. Returns locks on every table the statement touches, new or not; the
 * {@link Classifier} keeps only pre-existing ones for the report.
 */
public final class LockAnalyzer {

    /** Strongest lock per table, in the order the tables appear in the statement. */
    public List<TableLock> locks(Change change, SchemaModel schema, PgVersion version) {
        throw new UnsupportedOperationException("not yet written");
    }
}
