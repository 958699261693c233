package dev.tandem.classify.rules;

import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;

/**
 * {@code ALTER COLUMN c DROP NOT NULL} is a brief catalog change and old writers keep working, so
 * it is an expand step (compatible). The advice: once the new version writes NULLs, readers of the
 * running version that assume a value (mapped to a primitive, used in arithmetic or joins) may
 * break. No finding when the model knows the column is nullable already (a no-op).
 */
public final class DropNotNullRule extends AlterTableRule {

    @Override
    public String id() {
        return "drop-not-null";
    }

    @Override
    public String summary() {
        return "DROP NOT NULL is safe for the database, but readers of the running version may not expect NULLs";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.DropNotNull dn)) return;
        boolean knownNullable = ctx.table(at.table()).flatMap(t -> t.column(dn.column())).map(c -> !c.notNull()).orElse(false);
        if (knownNullable) return;
        ctx.report(StatementClass.COMPATIBLE,
                "Dropping NOT NULL from " + at.table().display() + "." + dn.column() + " only changes the catalog, but once "
                        + "rows with a NULL " + dn.column() + " appear, code of the running application version that assumes a "
                        + "value (a primitive field, arithmetic, an inner join on it) may fail.",
                "Deploy readers that handle NULL in " + dn.column() + " before any writer stores one.");
    }
}
