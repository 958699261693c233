package dev.tandem.classify.rules;

import dev.tandem.catalog.ConstraintInfo;
import dev.tandem.catalog.TableInfo;
import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * DROP TABLE deletes the table and its data; the running app version's queries on it fail. It takes
 * AccessExclusiveLock on the table and on every table linked to it by a foreign key in either
 * direction, because the RI triggers on the other side are dropped too (PG15: dropping a
 * referencing table locks the referenced one; DROP … CASCADE locks the referencing ones). Without
 * CASCADE the drop fails while other tables reference it. Tables created earlier in the migration
 * are exempt.
 */
public final class DropTableRule implements Rule {
    public static final String ID = "drop-table";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "Dropping a table deletes its data and breaks the app version that still uses it";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.DropTable dt)) return;
        for (QualifiedName table : dt.tables()) {
            if (!ctx.isPreExisting(table)) continue;
            Set<String> linked = new LinkedHashSet<>();
            for (TableInfo r : ctx.schema().referencing(table)) {
                if (!r.name().equals(table.resolved())) linked.add(r.name().display());
            }
            boolean referenced = !linked.isEmpty();
            ctx.table(table).ifPresent(t -> t.constraints().stream()
                    .filter(c -> c.kind() == ConstraintInfo.Kind.FOREIGN_KEY && c.refTable() != null)
                    .map(c -> c.refTable().display())
                    .filter(n -> !n.equals(table.display()))
                    .forEach(linked::add));
            StringBuilder msg = new StringBuilder("DROP TABLE ").append(ctx.describe(table))
                    .append(" deletes the table and all its rows: the running app version's queries on it fail. It takes"
                            + " AccessExclusiveLock on it");
            if (!linked.isEmpty()) {
                msg.append(" and on ").append(String.join(", ", linked)).append(" (linked by foreign keys, whose triggers go too)");
            } else {
                msg.append(" and on every table linked to it by a foreign key");
            }
            msg.append('.');
            if (referenced && !dt.cascade()) {
                msg.append(" Without CASCADE it fails while other tables reference it.");
            }
            ctx.report(StatementClass.EXPAND_CONTRACT, msg.toString(),
                    "Contract phase only: remove every use of " + table.display() + " from the app, deploy, then drop it."
                            + " Drop the foreign keys to and from it first, each in its own short statement (ALTER TABLE …"
                            + " DROP CONSTRAINT …), so no lock covers several tables at once; keep a copy (pg_dump -t "
                            + table.display() + ") if the data may be needed again.");
        }
    }
}
