package dev.tandem.classify.rules;

import dev.tandem.catalog.ColumnInfo;
import dev.tandem.classify.RuleContext;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.TypeName;

/** A rule about {@code ALTER COLUMN … TYPE}, given what the change does to the stored data. */
abstract class TypeChangeRule extends AlterTableRule {

    @Override
    final void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.AlterColumnType act)) return;
        TypeName from = ctx.table(at.table()).flatMap(t -> t.column(act.column())).map(ColumnInfo::type).orElse(null);
        check(ctx, at, act, from, TypeChangeAnalyzer.classify(from, act, act.column()));
    }

    /**
     * @param from the column's current type, or null when the model does not know it
     */
    abstract void check(RuleContext ctx, Change.AlterTable at, AlterAction.AlterColumnType change, TypeName from,
                        TypeChangeAnalyzer.Kind kind);

    /** The expand-contract recipe for a type change that cannot be done in place. */
    static String newColumnRecipe(Change.AlterTable at, AlterAction.AlterColumnType change) {
        String t = sql(at.table());
        String c = change.column();
        String n = c + "_new";
        String conv = change.using() != null ? onNewRow(change.using().text(), c) : "NEW." + c + "::" + change.type().raw();
        return "Expand: add a column of the new type and keep it in step, then swap after the deploy:\n"
                + "  ALTER TABLE " + t + " ADD COLUMN " + n + " " + change.type().raw() + ";\n"
                + "  -- trigger: BEFORE INSERT OR UPDATE … SET NEW." + n + " = " + conv + "\n"
                + "  UPDATE " + t + " SET " + n + " = " + (change.using() != null ? change.using().text() : c + "::" + change.type().raw())
                + " WHERE <key range>;  -- in batches\n"
                + "  -- recreate indexes and constraints on " + n + " (CONCURRENTLY / NOT VALID + VALIDATE), deploy the version "
                + "that reads " + n + ", then in one short transaction drop " + c + " and rename " + n + " to " + c + ".";
    }

    /**
     * The USING expression as the trigger writes it: every reference to the column (a whole
     * identifier, bare or quoted, not part of a longer name or a qualified one) read from NEW.
     */
    static String onNewRow(String using, String column) {
        String bare = "(?<![\\w$.\"'])(?i:" + java.util.regex.Pattern.quote(column) + ")(?![\\w$\"'])";
        String quoted = "(?<![\\w$.])\"" + java.util.regex.Pattern.quote(column) + "\"";
        return using.replaceAll(quoted + "|" + bare, "NEW.$0");
    }

    static String columnRef(Change.AlterTable at, String column) {
        return at.table().display() + "." + column;
    }
}
