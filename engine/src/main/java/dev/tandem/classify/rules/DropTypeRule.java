package dev.tandem.classify.rules;

import dev.tandem.catalog.ColumnInfo;
import dev.tandem.catalog.TableInfo;
import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.List;

/**
 * DROP TYPE fails while a column, function or other type uses the type; with CASCADE PostgreSQL
 * drops those columns, with their data (PG15: "drop cascades to column s of table e"), and the
 * running app version's queries on them fail. Types created earlier in the same migration are
 * exempt.
 */
public final class DropTypeRule implements Rule {
    public static final String ID = "drop-type";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "Dropping a type (with CASCADE: the columns that use it) breaks the running app version";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.DropType dt)) return;
        for (QualifiedName type : dt.names()) {
            if (CreatedObjects.type(ctx, type)) continue;
            List<String> columns = columnsOfType(ctx, type);
            String users = columns.isEmpty() ? "the columns that use it" : String.join(", ", columns);
            String msg = dt.cascade()
                    ? "DROP TYPE " + type.display() + " CASCADE also drops " + users + ", with their data: the running app"
                            + " version's queries on them fail."
                    : "DROP TYPE " + type.display() + " removes a type the running app version may still use"
                            + (columns.isEmpty() ? "" : "; it fails while " + users + " use it") + ".";
            ctx.report(StatementClass.EXPAND_CONTRACT, msg,
                    "Contract phase only: first move every column off the type (each its own expand-contract change) and"
                            + " stop using it in the app, then DROP TYPE " + type + "; without CASCADE, so PostgreSQL refuses"
                            + " if anything still depends on it.");
        }
    }

    private static List<String> columnsOfType(RuleContext ctx, QualifiedName type) {
        List<String> out = new ArrayList<>();
        for (TableInfo t : ctx.schema().tables()) {
            for (ColumnInfo c : t.columns()) {
                if (c.type() == null) continue;
                String n = c.type().name();
                if (n.equals(type.name()) || n.equals(type.display()) || n.equals(type.toString())) {
                    out.add(t.name().display() + "." + c.name());
                }
            }
        }
        return out;
    }
}
