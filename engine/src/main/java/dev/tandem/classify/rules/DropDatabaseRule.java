package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;

/**
 * DROP DATABASE deletes a whole database: it cannot run inside a transaction block, fails while any
 * session is connected (WITH (FORCE), PostgreSQL 13+, terminates them instead) and cannot drop the
 * database the migration is connected to. It has no place in an application migration: blocking.
 */
public final class DropDatabaseRule implements Rule {
    public static final String ID = "drop-database";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "DROP DATABASE never belongs in an application migration";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.DatabaseChange db) || !"drop".equals(db.verb())) return;
        ctx.report(StatementClass.BLOCKING,
                "DROP DATABASE " + (db.name() == null ? "" : db.name() + " ") + "deletes an entire database with every table in it. It cannot run inside a"
                        + " transaction block and fails while anyone is connected to it (WITH (FORCE), PostgreSQL 13+,"
                        + " disconnects them instead).",
                "Never drop databases from an application migration: do it by hand, with a backup, or from the"
                        + " infrastructure tooling that created the database.");
    }
}
