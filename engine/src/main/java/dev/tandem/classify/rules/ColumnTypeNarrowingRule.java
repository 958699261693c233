package dev.tandem.classify.rules;

import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.TypeName;

/**
 * A type change to a smaller limit of the same kind — varchar(200) → varchar(100), text →
 * varchar(n), numeric precision or scale decrease, timestamp(6) → timestamp(3), char(n) shorter —
 * rewrites the table under an AccessExclusiveLock (PG15: new relfilenode; unlike widening, which is
 * catalog only), fails if an existing value does not fit, and rejects (or, for precision, rounds)
 * values the running application still writes.
 */
public final class ColumnTypeNarrowingRule extends TypeChangeRule {

    @Override
    public String id() {
        return "column-type-narrowing";
    }

    @Override
    public String summary() {
        return "Narrowing a column type (shorter varchar, smaller numeric or precision) rewrites the table and rejects old app writes";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction.AlterColumnType change, TypeName from, TypeChangeAnalyzer.Kind kind) {
        if (kind != TypeChangeAnalyzer.Kind.NARROWING) return;
        rewrite(ctx, at);
        String t = sql(at.table());
        String c = change.column();
        ctx.report(StatementClass.EXPAND_CONTRACT,
                "Narrowing " + columnRef(at, c) + " from " + from.display() + " to " + change.type().display() + " rewrites "
                        + name(ctx, at.table()) + " and its indexes under an AccessExclusiveLock (every read and write waits), "
                        + "fails if any existing value does not fit, and afterwards rejects longer or more precise values the "
                        + "running application version still writes.",
                "Enforce the limit with a constraint instead, which never rewrites and can be validated online; deploy "
                        + "writers that respect it first:\n"
                        + "  ALTER TABLE " + t + " ADD CONSTRAINT " + at.table().name() + "_" + c + "_limit CHECK (<limit on "
                        + c + ">) NOT VALID;\n"
                        + "  ALTER TABLE " + t + " VALIDATE CONSTRAINT " + at.table().name() + "_" + c + "_limit;  -- separate transaction\n"
                        + "or, if the type itself must change, use a new column:\n" + newColumnRecipe(at, change));
    }
}
