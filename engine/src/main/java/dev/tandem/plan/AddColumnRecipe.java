package dev.tandem.plan;

import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import java.util.Set;

/**
 * ADD COLUMN forms that rewrite the table or break the running app version: a volatile default,
 * serial, identity, a stored generated expression, NOT NULL without a default. SKELETON: filled in
 * by the column-recipes work of issue 3.
 */
final class AddColumnRecipe implements Recipe {
    static final Set<String> COVERS = Set.of(
            "add-column-volatile-default", "add-column-not-null-without-default", "add-column-generated-stored",
            "add-column-serial", "add-column-identity");

    @Override
    public Set<String> covers() {
        return COVERS;
    }

    Outcome add(PlanContext ctx, Change.AlterTable at, AlterAction.AddColumn ac) {
        return Outcome.notYet("ADD COLUMN recipe not written yet.", "Wait for it.");
    }
}
