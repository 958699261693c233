package dev.tandem.classify.rules;

import dev.tandem.catalog.TableInfo;
import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * TRUNCATE … CASCADE also empties every table that references the named ones by foreign key,
 * transitively, each under AccessExclusiveLock (PG15: "truncate cascades to table …"). Those tables
 * are not named in the migration, so the review does not show them. Without CASCADE PostgreSQL
 * refuses to truncate a referenced table unless the referencing ones are listed too.
 */
public final class TruncateCascadeRule implements Rule {
    public static final String ID = "truncate-cascade";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "TRUNCATE … CASCADE also empties every table that references the named ones";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.Truncate tr) || !tr.cascade()) return;
        if (tr.tables().stream().noneMatch(ctx::isPreExisting)) return;
        Set<String> named = new LinkedHashSet<>();
        tr.tables().forEach(t -> named.add(t.display()));
        List<QualifiedName> queue = new ArrayList<>(tr.tables());
        Set<String> cascaded = new LinkedHashSet<>();
        for (int i = 0; i < queue.size(); i++) {
            for (TableInfo r : ctx.schema().referencing(queue.get(i))) {
                String n = r.name().display();
                if (!named.contains(n) && cascaded.add(n)) queue.add(r.name());
            }
        }
        String also = cascaded.isEmpty()
                ? "every table that references them by foreign key, transitively (none known to Tandem offline; the"
                        + " database may have more)"
                : String.join(", ", cascaded) + " (referencing them by foreign key)";
        ctx.report(StatementClass.EXPAND_CONTRACT,
                "TRUNCATE … CASCADE empties not only " + String.join(", ", named) + " but also " + also
                        + ", each under AccessExclusiveLock; the running app version loses that data too.",
                "Name every table to empty explicitly, TRUNCATE " + String.join(", ", named)
                        + (cascaded.isEmpty() ? ", <referencing tables>" : ", " + String.join(", ", cascaded))
                        + "; so the review shows what goes, and do it only in the contract phase.");
    }
}
