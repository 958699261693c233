package dev.tandem.plan;

import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import java.util.Set;

/** Removals after the gate: DROP COLUMN (made droppable in expand), DROP TABLE, TRUNCATE, … SKELETON. */
final class RemovalRecipe implements Recipe {
    static final Set<String> COVERS = Set.of("drop-column", "drop-table", "truncate-table");

    @Override
    public Set<String> covers() {
        return COVERS;
    }

    Outcome dropColumn(PlanContext ctx, Change.AlterTable at, AlterAction.DropColumn dc) {
        return Outcome.notYet("DROP COLUMN recipe not written yet.", "Wait for it.");
    }

    Outcome dropTable(PlanContext ctx, Change.DropTable dt) {
        return Outcome.notYet("DROP TABLE recipe not written yet.", "Wait for it.");
    }

    Outcome truncate(PlanContext ctx, Change.Truncate t) {
        return Outcome.notYet("TRUNCATE recipe not written yet.", "Wait for it.");
    }
}
