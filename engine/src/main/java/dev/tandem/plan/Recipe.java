package dev.tandem.plan;

import java.util.Set;

/**
 * A family of online recipes (pgroll style: one type per kind of operation, whose methods return
 * the steps as data and never run them). The planner picks one by a switch over the statement's
 * {@code Change} and {@code AlterAction} type.
 */
interface Recipe {

    /**
     * The ids of the classifier rules whose hazard this family's steps remove. A statement is only
     * handed to a recipe when the recipe covers every rule that made it more than compatible;
     * otherwise the statement is reported as unplanned instead of being half fixed.
     */
    Set<String> covers();
}
