package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import java.util.List;

/**
 * VACUUM FULL rewrites each table into a new file under AccessExclusiveLock (PG15: {@code relfilenode}
 * changes); without a table list it does so for every table of the database. Core PostgreSQL has
 * no online form (pg_repack, an extension, does the same online): blocking. Tables created earlier
 * in the same migration are exempt.
 */
public final class VacuumFullRule implements Rule {
    public static final String ID = "vacuum-full";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "VACUUM FULL rewrites tables under AccessExclusiveLock";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.Vacuum v) || !v.full()) return;
        String target;
        if (v.tables().isEmpty()) {
            target = "every table in the database, one after the other,";
        } else {
            List<QualifiedName> tables = v.tables().stream().filter(ctx::isPreExisting).toList();
            if (tables.isEmpty()) return;
            tables.forEach(ctx::rewrites);
            target = String.join(", ", tables.stream().map(ctx::describe).toList());
        }
        ctx.report(StatementClass.BLOCKING,
                "VACUUM FULL rewrites " + target + " into new files under AccessExclusiveLock: every read and write of a"
                        + " table waits until its rewrite ends.",
                "Use pg_repack (an extension: rewrites online, brief locks only at the start and end) to return space to"
                        + " the operating system, or a plain VACUUM (ShareUpdateExclusiveLock: reads and writes continue) when"
                        + " making the space reusable is enough.");
    }
}
