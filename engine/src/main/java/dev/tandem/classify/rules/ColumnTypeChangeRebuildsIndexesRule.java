package dev.tandem.classify.rules;

import dev.tandem.catalog.IndexInfo;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.TypeName;
import java.util.List;

/**
 * text ↔ citext, any type change with a {@code COLLATE} clause, and timestamp ↔ timestamptz under
 * a UTC session TimeZone keep the table's data but rebuild every index on the column (PG15: the index gets a new relfilenode and the table is read
 * to build it) under the ALTER's AccessExclusiveLock. No finding when the model knows the table and
 * it has no index on the column.
 */
public final class ColumnTypeChangeRebuildsIndexesRule extends TypeChangeRule {

    @Override
    public String id() {
        return "column-type-change-rebuilds-indexes";
    }

    @Override
    public String summary() {
        return "A collation change, text ↔ citext or timestamp ↔ timestamptz in UTC keeps the data but rebuilds the column's indexes";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction.AlterColumnType change, TypeName from, TypeChangeAnalyzer.Kind kind) {
        boolean utcTimeZoneChange = kind == TypeChangeAnalyzer.Kind.TIME_ZONE
                && TypeChangeAnalyzer.isUtc(ctx.state().setting("timezone"));
        if (kind != TypeChangeAnalyzer.Kind.INDEX_REBUILD && !utcTimeZoneChange) return;
        List<String> indexes = ctx.schema().indexesOn(at.table()).stream()
                .filter(i -> i.elements().stream().anyMatch(e -> mentions(e, change.column())))
                .map(IndexInfo::name).map(n -> n.name()).toList();
        if (indexes.isEmpty() && ctx.table(at.table()).isPresent()) return;
        scan(ctx, at);
        String t = sql(at.table());
        String which = indexes.isEmpty() ? "every index on " + change.column() : "index " + String.join(", ", indexes);
        ctx.report(StatementClass.ONLINE_REWRITE,
                "Changing " + columnRef(at, change.column()) + " to " + change.type().display()
                        + (change.collation() != null ? " COLLATE " + change.collation() : "") + " keeps the rows but rebuilds "
                        + which + " of " + name(ctx, at.table()) + " by reading the whole table under an AccessExclusiveLock: "
                        + "every read and write on " + at.table().display() + " waits until the indexes are rebuilt.",
                "Drop the column's indexes first without blocking, change the type (catalog only), and build them again "
                        + "concurrently (queries run without those indexes in between):\n"
                        + "  DROP INDEX CONCURRENTLY <index>;\n"
                        + "  ALTER TABLE " + t + " ALTER COLUMN " + change.column() + " TYPE " + change.type().raw()
                        + (change.collation() != null ? " COLLATE " + change.collation() : "") + ";\n"
                        + "  CREATE INDEX CONCURRENTLY <index> ON " + t + " (" + change.column() + ");");
    }

    private static boolean mentions(String element, String column) {
        return element.equals(column) || element.matches("(?s).*\\b" + java.util.regex.Pattern.quote(column) + "\\b.*");
    }
}
