package dev.tandem.classify.rules;

import dev.tandem.catalog.ColumnInfo;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import java.util.Optional;

/**
 * {@code ALTER COLUMN c DROP DEFAULT} on a NOT NULL column: the running application version's
 * INSERTs that omit {@code c} (because it does not know the column, or relies on the default) fail
 * with a not-null violation. The classic trap is {@code ADD COLUMN c … NOT NULL DEFAULT x} followed
 * by {@code DROP DEFAULT} in the same migration, as some ORMs generate. Needs the column in the model.
 */
public final class DropDefaultOnNotNullColumnRule extends AlterTableRule {

    @Override
    public String id() {
        return "drop-default-on-not-null-column";
    }

    @Override
    public String summary() {
        return "DROP DEFAULT on a NOT NULL column makes the running app's INSERTs that omit the column fail";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.DropDefault dd)) return;
        Optional<ColumnInfo> col = ctx.table(at.table()).flatMap(t -> t.column(dd.column()));
        if (col.isEmpty() || !col.get().notNull() || col.get().defaultValue() == null || col.get().identity()
                || col.get().generated()) return;
        ctx.report(StatementClass.EXPAND_CONTRACT,
                "Dropping the default of NOT NULL column " + at.table().display() + "." + dd.column() + " (" + col.get().defaultValue().text()
                        + ") makes every INSERT that omits " + dd.column() + " fail with a not-null violation, including those "
                        + "of the running application version, which may not know the column.",
                "Keep the database default until every application version that inserts rows sets " + dd.column()
                        + "; drop it in a contract step after the deploy:\n  ALTER TABLE " + sql(at.table())
                        + " ALTER COLUMN " + dd.column() + " DROP DEFAULT;");
    }
}
