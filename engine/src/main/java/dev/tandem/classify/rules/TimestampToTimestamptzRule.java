package dev.tandem.classify.rules;

import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.TypeName;

/**
 * timestamp ↔ timestamptz: since PostgreSQL 12 the table is not rewritten when the session
 * TimeZone has a zero UTC offset (UTC, Etc/UTC, GMT, Zulu, …; PG15 checked: the table keeps its
 * relfilenode), because the stored microseconds do not change — but indexes on the column are
 * rebuilt (they change operator class; PG15: new relfilenode), which
 * {@code column-type-change-rebuilds-indexes} reports. With any other TimeZone every value is
 * shifted: a rewrite of the table and its indexes under an AccessExclusiveLock. The zone is the
 * one a {@code SET [LOCAL] timezone} earlier in the migration made, else the session's when the
 * caller knows it ({@code migrate apply}: its own session's, which the JDBC driver sets to the
 * JVM's zone; {@code plan --trace}: the trace session's); a plain {@code migrate plan} does not
 * know where the migration will run, so it counts as a rewrite.
 */
public final class TimestampToTimestamptzRule extends TypeChangeRule {

    @Override
    public String id() {
        return "timestamp-to-timestamptz";
    }

    @Override
    public String summary() {
        return "timestamp ↔ timestamptz rewrites the table unless the session TimeZone is UTC (PostgreSQL 12+)";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction.AlterColumnType change, TypeName from, TypeChangeAnalyzer.Kind kind) {
        if (kind != TypeChangeAnalyzer.Kind.TIME_ZONE) return;
        String zone = ctx.state().setting("timezone");
        if (TypeChangeAnalyzer.isUtc(zone)) return;
        rewrite(ctx, at);
        String t = sql(at.table());
        ctx.report(StatementClass.ONLINE_REWRITE,
                "Changing " + columnRef(at, change.column()) + " from " + from.display() + " to " + change.type().display()
                        + " converts every value through the session TimeZone ("
                        + (zone == null ? "not set in this migration" : zone) + "): " + pg(ctx) + " rewrites "
                        + name(ctx, at.table()) + " and its indexes under an AccessExclusiveLock, blocking every read and "
                        + "write until it ends. With a UTC session TimeZone the table is not rewritten (only indexes on the "
                        + "column are rebuilt).",
                "If the stored values are UTC, set the time zone for the migration's transaction so the table is not rewritten "
                        + "(indexes on the column are still rebuilt):\n"
                        + "  SET LOCAL timezone = 'UTC';\n"
                        + "  ALTER TABLE " + t + " ALTER COLUMN " + change.column() + " TYPE " + change.type().raw() + ";\n"
                        + "Otherwise convert through a new column:\n" + newColumnRecipe(at, change));
    }
}
