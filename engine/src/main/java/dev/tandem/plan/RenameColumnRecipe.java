package dev.tandem.plan;

import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import java.util.Set;

/** RENAME COLUMN → new column kept in step by a trigger, backfill, old column dropped in contract. SKELETON. */
final class RenameColumnRecipe implements Recipe {
    static final Set<String> COVERS = Set.of("rename-column");

    @Override
    public Set<String> covers() {
        return COVERS;
    }

    Outcome rename(PlanContext ctx, Change.AlterTable at, AlterAction.RenameColumn rc) {
        return Outcome.notYet("RENAME COLUMN recipe not written yet.", "Wait for it.");
    }
}
