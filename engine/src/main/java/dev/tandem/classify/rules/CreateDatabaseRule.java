package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;

/**
 * CREATE DATABASE cannot run inside a transaction block (PG15: "CREATE DATABASE cannot run inside a
 * transaction block") and its objects are out of reach of the migration's connection: later
 * statements still run in the application's database. Provisioning, not a schema change: blocking.
 */
public final class CreateDatabaseRule implements Rule {
    public static final String ID = "create-database";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "CREATE DATABASE never belongs in an application migration";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.DatabaseChange db) || !"create".equals(db.verb())) return;
        ctx.report(StatementClass.BLOCKING,
                "CREATE DATABASE " + (db.name() == null ? "" : db.name() + " ") + "provisions a new database: it cannot run inside a transaction block, and"
                        + " the statements after it still run in the application's database, not in the new one.",
                "Create databases where the infrastructure is provisioned (Terraform, a Helm chart, an init script), and"
                        + " point a separate migration history at the new database.");
    }
}
