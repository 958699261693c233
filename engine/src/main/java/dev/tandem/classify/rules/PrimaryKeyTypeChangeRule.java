package dev.tandem.classify.rules;

import dev.tandem.catalog.ConstraintInfo;
import dev.tandem.catalog.TableInfo;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.TypeName;
import java.util.List;

/**
 * Changing the type of a primary-key column that other tables reference: besides the rewrite of
 * the table itself, PostgreSQL re-creates every referencing foreign key, taking an
 * AccessExclusiveLock on each referencing table and re-validating it with a full scan (PG15:
 * {@code ALTER TABLE p ALTER id TYPE bigint} locks and scans the referencing table). The
 * referencing columns keep their old type, so the int → bigint migration is not done.
 */
public final class PrimaryKeyTypeChangeRule extends TypeChangeRule {

    @Override
    public String id() {
        return "primary-key-type-change";
    }

    @Override
    public String summary() {
        return "Changing a referenced primary key's type locks and re-validates every referencing table";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction.AlterColumnType change, TypeName from, TypeChangeAnalyzer.Kind kind) {
        switch (kind) {
            case REWRITE, NARROWING, UNKNOWN -> { }
            case TIME_ZONE -> {
                if (TypeChangeAnalyzer.isUtc(ctx.state().setting("timezone"))) return;
            }
            default -> {
                return;
            }
        }
        boolean pkColumn = ctx.table(at.table()).stream().flatMap(t -> t.constraints().stream())
                .anyMatch(c -> c.kind() == ConstraintInfo.Kind.PRIMARY_KEY && c.columns().contains(change.column()));
        if (!pkColumn) return;
        List<QualifiedName> referencing = ctx.schema().referencing(at.table()).stream().map(TableInfo::name)
                .filter(n -> !n.equals(at.table().resolved())).toList();
        if (referencing.isEmpty()) return;
        referencing.forEach(ctx::scans);
        List<String> names = referencing.stream().map(QualifiedName::display).toList();
        ctx.report(StatementClass.EXPAND_CONTRACT,
                "Changing the type of primary-key column " + columnRef(at, change.column()) + " to " + change.type().display()
                        + " also re-creates the foreign keys of " + String.join(", ", names) + ": each of them is locked with "
                        + "an AccessExclusiveLock (no reads or writes) and read in full to re-validate its foreign key, and its "
                        + "referencing column keeps the old type.",
                "Convert through new columns on both sides: add " + change.column() + "_new " + change.type().raw() + " to "
                        + sql(at.table()) + " and the matching referencing columns, keep them in step with triggers, backfill "
                        + "in batches, build the new unique index CONCURRENTLY, then in one short transaction swap the primary "
                        + "key (ADD CONSTRAINT … PRIMARY KEY USING INDEX) and re-create the foreign keys NOT VALID, validating "
                        + "them afterwards.");
    }
}
