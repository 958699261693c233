package dev.tandem.classify.rules;

import dev.tandem.catalog.ConstraintInfo;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.TypeName;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A type change that needs no rewrite (varchar(n) → varchar(m ≥ n), varchar → text, …) still
 * re-checks every CHECK constraint that uses the column, reading the whole table under the ALTER's
 * AccessExclusiveLock (PG15: one sequential scan, no new relfilenode). Rewriting changes re-check
 * them as part of the rewrite and are reported by their own rules. A CHECK dropped by the same
 * ALTER TABLE is not re-checked, nor is a NOT VALID one (PG15: re-created NOT VALID, no scan).
 */
public final class ColumnTypeChangeRevalidatesChecksRule extends TypeChangeRule {

    @Override
    public String id() {
        return "column-type-change-revalidates-checks";
    }

    @Override
    public String summary() {
        return "A catalog-only type change still re-checks the column's CHECK constraints with a scan under an AccessExclusiveLock";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction.AlterColumnType change, TypeName from, TypeChangeAnalyzer.Kind kind) {
        switch (kind) {
            case NO_REWRITE, INDEX_REBUILD -> { }
            case TIME_ZONE -> {
                if (!TypeChangeAnalyzer.isUtc(ctx.state().setting("timezone"))) return;
            }
            default -> {
                return;
            }
        }
        // Constraints dropped by the same ALTER TABLE (the recipe: DROP CONSTRAINT, TYPE, ADD … NOT VALID)
        // are gone before the type changes: PG15 checked, no scan.
        Set<String> dropped = new HashSet<>();
        for (AlterAction a : at.actions()) {
            if (a instanceof AlterAction.DropConstraint dc) dropped.add(dc.name());
        }
        Pattern word = Pattern.compile("(?i)(?<![A-Za-z0-9_])\"?" + Pattern.quote(change.column()) + "\"?(?![A-Za-z0-9_])");
        List<ConstraintInfo> checks = ctx.table(at.table()).stream().flatMap(t -> t.constraints().stream())
                .filter(c -> c.kind() == ConstraintInfo.Kind.CHECK && c.validated() && !dropped.contains(c.name()))
                .filter(c -> c.columns().contains(change.column()) || (c.check() != null && word.matcher(c.check().text()).find()))
                .toList();
        if (checks.isEmpty()) return;
        scan(ctx, at);
        String t = sql(at.table());
        List<String> names = checks.stream().map(ConstraintInfo::name).toList();
        ctx.report(StatementClass.ONLINE_REWRITE,
                "Changing " + columnRef(at, change.column()) + " to " + change.type().display() + " needs no rewrite, but "
                        + pg(ctx) + " re-checks CHECK constraint " + String.join(", ", names) + " by reading all of "
                        + name(ctx, at.table()) + " while holding an AccessExclusiveLock: every read and write waits until "
                        + "the scan ends.",
                "Drop the CHECK, change the type, and add the CHECK back NOT VALID, validating it in a later transaction "
                        + "(ShareUpdateExclusiveLock; reads and writes go on):\n"
                        + "  ALTER TABLE " + t + " DROP CONSTRAINT " + names.get(0) + ", ALTER COLUMN " + change.column()
                        + " TYPE " + change.type().raw() + ", ADD CONSTRAINT " + names.get(0) + " CHECK ("
                        + (checks.get(0).check() != null ? checks.get(0).check().text() : "…") + ") NOT VALID;\n"
                        + "  ALTER TABLE " + t + " VALIDATE CONSTRAINT " + names.get(0) + ";  -- separate transaction");
    }
}
