package dev.tandem.classify.rules;

import dev.tandem.catalog.ConstraintInfo;
import dev.tandem.catalog.IndexInfo;
import dev.tandem.catalog.TableInfo;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code DROP COLUMN}: catalog only (the space is reclaimed by a later rewrite), but the running
 * application still selects and writes the column and fails once it is gone. Indexes and
 * constraints on the column go with it; a foreign key on it also takes an AccessExclusiveLock on
 * the referenced table (PG15).
 */
public final class DropColumnRule extends AlterTableRule {

    @Override
    public String id() {
        return "drop-column";
    }

    @Override
    public String summary() {
        return "DROP COLUMN breaks the running application version, which still reads and writes the column";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.DropColumn dc)) return;
        String t = sql(at.table());
        Optional<TableInfo> table = ctx.table(at.table());
        List<String> goes = new ArrayList<>();
        table.ifPresent(info -> {
            for (ConstraintInfo c : info.constraints()) {
                if (c.columns().contains(dc.column())) {
                    goes.add(c.name() + (c.kind() == ConstraintInfo.Kind.FOREIGN_KEY && c.refTable() != null
                            ? " (foreign key to " + c.refTable().display() + ", which gets an AccessExclusiveLock too)" : ""));
                }
            }
        });
        for (IndexInfo i : ctx.schema().indexesOn(at.table())) {
            if (i.elements().contains(dc.column()) && goes.stream().noneMatch(g -> g.startsWith(i.name().name()))) {
                goes.add("index " + i.name().name());
            }
        }
        ctx.report(StatementClass.EXPAND_CONTRACT,
                "Dropping column " + dc.column() + " of " + at.table().display() + " breaks the application version that is "
                        + "running: its queries and ORM mappings still select and insert " + dc.column() + " and fail with "
                        + "\"column does not exist\"." + (goes.isEmpty() ? "" : " It also drops " + String.join(", ", goes) + "."),
                "Contract step: first deploy an application version that no longer reads or writes " + dc.column()
                        + " (e.g. an ORM ignored-column setting), then drop it after the old version is gone:\n"
                        + "  ALTER TABLE " + t + " DROP COLUMN " + dc.column() + ";"
                        + (goes.isEmpty() ? "" : "\nDrop its indexes first with DROP INDEX CONCURRENTLY to keep the lock short."));
    }
}
