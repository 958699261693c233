package dev.tandem.plan;

/**
 * One unit of work of a release plan, as data: the planner returns steps and never runs them; the
 * executor runs them unchanged, one after the other within a phase.
 *
 * <p>Invariants every step keeps, so that a killed run can resume where it stopped:
 * <ul>
 *   <li>A step comes from exactly one statement of one migration ({@link #migration()},
 *       {@link #line()}); a statement may give several steps, in several phases.</li>
 *   <li>Undoing: {@link #irreversible()} is {@code null} for a step that can be undone — by its
 *       rollback SQL where it has one, or by nothing when there is nothing to undo (a VALIDATE,
 *       a SET). Otherwise it says why the step cannot be undone; a rollback stops there.</li>
 * </ul>
 */
public sealed interface Step permits SqlStep, BackfillStep {

    /** The migration the step comes from: its version, or the script of a repeatable migration. */
    String migration();

    /** The 1-based line of the originating statement in the migration's script. */
    int line();

    /** One sentence for people: what the step does and why it is done this way. */
    String purpose();

    /** {@code null} when the step can be undone, else why it cannot. */
    String irreversible();

    default boolean reversible() {
        return irreversible() == null;
    }
}
