package dev.tandem.plan;

import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import java.util.Set;

/** RENAME TABLE → the table renamed and its old name kept as an updatable view until contract. SKELETON. */
final class RenameTableRecipe implements Recipe {
    static final Set<String> COVERS = Set.of("rename-table");

    @Override
    public Set<String> covers() {
        return COVERS;
    }

    Outcome rename(PlanContext ctx, Change.AlterTable at, AlterAction.RenameTable rt) {
        return Outcome.notYet("RENAME TABLE recipe not written yet.", "Wait for it.");
    }
}
