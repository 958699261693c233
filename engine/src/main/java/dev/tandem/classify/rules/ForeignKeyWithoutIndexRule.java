package dev.tandem.classify.rules;

import dev.tandem.catalog.IndexInfo;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.Constraint;
import dev.tandem.sql.QualifiedName;
import java.util.HashSet;
import java.util.List;

/**
 * A foreign key whose columns are not the leading columns of a (non-partial) index on the
 * referencing table: every DELETE or key UPDATE on the referenced table then scans the
 * referencing table to check for (or cascade to) matching rows. Advice; only for a table the
 * model knows, so that its indexes are known, and not when a later statement of the same migration
 * creates such an index.
 */
public final class ForeignKeyWithoutIndexRule extends AlterTableRule {

    @Override
    public String id() {
        return "foreign-key-without-index";
    }

    @Override
    public String summary() {
        return "A foreign key without an index on its columns makes every DELETE on the referenced table scan this table";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.AddConstraint ac) || !(ac.constraint() instanceof Constraint.ForeignKey fk)) return;
        if (ctx.table(at.table()).isEmpty() || fk.columns().isEmpty()) return;
        List<IndexInfo> indexes = ctx.schema().indexesOn(at.table());
        boolean covered = indexes.stream().filter(i -> i.where() == null && i.valid())
                .anyMatch(i -> leads(i.elements(), fk.columns()));
        // The usual order is ADD FOREIGN KEY, then CREATE INDEX [CONCURRENTLY] later in the migration.
        boolean indexedLater = ctx.laterChanges().stream()
                .anyMatch(c -> c instanceof Change.CreateIndex ci && ci.where() == null
                        && ci.table().resolved().equals(at.table().resolved()) && leads(ci.elements(), fk.columns()));
        if (covered || indexedLater) return;
        QualifiedName ref = fk.refTable() != null ? fk.refTable() : at.table();
        String cols = String.join(", ", fk.columns());
        ctx.report(StatementClass.COMPATIBLE,
                "No index on " + at.table().display() + " (" + cols + ") is known: every DELETE from " + ref.display()
                        + " (and every update of its key) will read " + at.table().display() + " in full to check the "
                        + "foreign key.",
                "Index the foreign-key columns without blocking writes:\n  CREATE INDEX CONCURRENTLY "
                        + at.table().name() + "_" + String.join("_", fk.columns()) + "_idx ON " + sql(at.table()) + " (" + cols + ");");
    }

    /** Whether {@code columns} are the leading elements of an index, in any order. */
    private static boolean leads(List<String> elements, List<String> columns) {
        return elements.size() >= columns.size()
                && new HashSet<>(elements.subList(0, columns.size())).equals(new HashSet<>(columns));
    }
}
