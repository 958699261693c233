package dev.tandem.classify.rules;

import dev.tandem.catalog.ConstraintInfo;
import dev.tandem.catalog.TableInfo;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import java.util.List;
import java.util.Optional;

/**
 * {@code DROP CONSTRAINT} of a PRIMARY KEY or UNIQUE constraint drops its index too. The running
 * application may rely on it: {@code INSERT … ON CONFLICT (cols)} fails with "there is no unique or
 * exclusion constraint matching the ON CONFLICT specification", duplicates become possible, and
 * lookups lose their index. Foreign keys referencing it need CASCADE, which drops them silently.
 * Known from the model; a name ending in {@code _pkey} counts as a primary key when the model does
 * not know the constraint.
 */
public final class DropUniqueOrPrimaryKeyConstraintRule extends AlterTableRule {

    @Override
    public String id() {
        return "drop-constraint-unique-or-primary-key";
    }

    @Override
    public String summary() {
        return "Dropping a PRIMARY KEY or UNIQUE constraint breaks the running app's ON CONFLICT and uniqueness assumptions";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.DropConstraint dc)) return;
        Optional<ConstraintInfo> c = ctx.table(at.table()).flatMap(t -> t.constraint(dc.name()));
        String kind;
        if (c.isPresent()) {
            kind = switch (c.get().kind()) {
                case PRIMARY_KEY -> "primary key";
                case UNIQUE -> "unique constraint";
                default -> null;
            };
        } else {
            kind = dc.name().endsWith("_pkey") ? "primary key" : null;
        }
        if (kind == null) return;
        String cols = c.map(ci -> " (" + String.join(", ", ci.columns()) + ")").orElse("");
        List<String> referencing = c.isPresent() && c.get().kind() == ConstraintInfo.Kind.PRIMARY_KEY
                ? ctx.schema().referencing(at.table()).stream().map(TableInfo::name).map(n -> n.display()).toList() : List.of();
        ctx.report(StatementClass.EXPAND_CONTRACT,
                "Dropping " + kind + " " + dc.name() + cols + " of " + at.table().display() + " also drops its index: the running "
                        + "application version's INSERT … ON CONFLICT on those columns fails (\"no unique or exclusion constraint "
                        + "matching the ON CONFLICT specification\"), duplicates become possible and lookups lose the index."
                        + (referencing.isEmpty() ? "" : " Foreign keys of " + String.join(", ", referencing)
                        + " depend on it and are dropped by CASCADE (AccessExclusiveLock on those tables)."),
                "Contract step: drop it only after the application no longer relies on it; when replacing it, build the new "
                        + "unique index CONCURRENTLY and swap in one short transaction (DROP CONSTRAINT … , ADD CONSTRAINT … "
                        + "USING INDEX …).");
    }
}
