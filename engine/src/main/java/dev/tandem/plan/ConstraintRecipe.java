package dev.tandem.plan;

import dev.tandem.classify.TableLock;
import dev.tandem.sql.Change;
import dev.tandem.sql.Constraint;
import dev.tandem.sql.LockMode;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.Token;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * CHECK and FOREIGN KEY constraints without the long lock: {@code ADD CONSTRAINT … NOT VALID}
 * (catalog only: new and changed rows are checked from then on, existing rows are not read), then
 * {@code VALIDATE CONSTRAINT} in a transaction of its own, which reads the table under
 * ShareUpdateExclusiveLock only (reads and writes go on; for a foreign key, RowShareLock on the
 * referenced table). Both in expand: the statement is backward compatible as written, only its
 * lock was the problem.
 *
 * <p>An unnamed constraint gets the name PostgreSQL would have generated ({@code <table>_<col>_check},
 * {@code <table>_<cols>_fkey}), so VALIDATE can name it and the final schema is the same.
 */
final class ConstraintRecipe implements Recipe {
    static final Set<String> COVERS = Set.of(
            "add-check-constraint-validates", "add-foreign-key-validates");

    @Override
    public Set<String> covers() {
        return COVERS;
    }

    Outcome notValidThenValidate(PlanContext ctx, Change.AlterTable at, Constraint constraint) {
        QualifiedName table = at.table();
        boolean fk = constraint instanceof Constraint.ForeignKey;
        if (fk && ctx.partitioned(table) && !ctx.version().atLeast(18)) {
            return Outcome.notYet("PostgreSQL before 18 cannot add a NOT VALID foreign key to the partitioned table "
                            + table.display() + ".",
                    "Add the foreign key NOT VALID to each partition and validate it there, then add it to the parent, which"
                            + " adopts the partitions' constraints; Tandem has no recipe for this yet.");
        }
        Optional<String> name = ObjectNames.addedConstraint(ctx.schema(), at);
        if (name.isEmpty()) {
            return Outcome.precondition("Tandem cannot tell which name PostgreSQL will give this constraint, and VALIDATE"
                    + " CONSTRAINT needs it.", "Name the constraint in the migration (ADD CONSTRAINT name …).");
        }
        String add = notValid(ctx.sql(), constraint.name() == null ? name.get() : null);
        if (add == null) return IndexRecipe.unrecognised("ALTER TABLE … ADD CONSTRAINT");

        QualifiedName ref = fk ? ((Constraint.ForeignKey) constraint).refTable() : null;
        List<TableLock> addLocks = fk
                ? List.of(PlanContext.lock(table, LockMode.SHARE_ROW_EXCLUSIVE), PlanContext.lock(ref, LockMode.SHARE_ROW_EXCLUSIVE))
                : List.of(PlanContext.lock(table, LockMode.ACCESS_EXCLUSIVE));
        List<TableLock> validateLocks = fk
                ? List.of(PlanContext.lock(table, LockMode.SHARE_UPDATE_EXCLUSIVE), PlanContext.lock(ref, LockMode.ROW_SHARE))
                : List.of(PlanContext.lock(table, LockMode.SHARE_UPDATE_EXCLUSIVE));
        String kind = fk ? "foreign key" : "check constraint";
        String alter = alterTable(at);
        return Outcome.steps()
                .expand(ctx.transactional("Add the " + kind + " " + name.get() + " NOT VALID: enforced for new and changed rows"
                                + " from now on, existing rows not read (" + (fk ? "brief ShareRowExclusiveLock on both tables"
                                : "brief AccessExclusiveLock") + ").",
                        add, addLocks, alter + " DROP CONSTRAINT IF EXISTS " + SqlText.ident(name.get())))
                .expand(ctx.transactional("Validate " + name.get() + " against the existing rows in a transaction of its own:"
                                + " reads every row under ShareUpdateExclusiveLock while reads and writes go on.",
                        alter + " VALIDATE CONSTRAINT " + SqlText.ident(name.get()), validateLocks, null))
                .build();
    }

    /** {@code ALTER TABLE [IF EXISTS] [ONLY] name} as the statement wrote it. */
    static String alterTable(Change.AlterTable at) {
        return "ALTER TABLE " + (at.ifExists() ? "IF EXISTS " : "") + (at.only() ? "ONLY " : "") + SqlText.name(at.table());
    }

    /**
     * The single-action {@code ALTER TABLE … ADD [CONSTRAINT name] …} as written, with
     * {@code CONSTRAINT name} inserted when {@code name} is given (an unnamed constraint) and
     * {@code NOT VALID} appended (constraint attributes may come in any order). Null when the
     * statement is not of that form.
     */
    static String notValid(String sql, String name) {
        String s = SqlText.trimmed(sql);
        List<Token> t = SqlText.tokens(s);
        int add = SqlText.afterAlterTableName(t);
        if (!SqlText.at(t, add, "add")) return null;
        String out = s;
        if (name != null) {
            int at = t.get(add).end();
            out = s.substring(0, at) + " CONSTRAINT " + SqlText.ident(name) + s.substring(at);
        }
        return out + " NOT VALID";
    }
}
