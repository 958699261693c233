package dev.tandem.plan;

import java.util.ArrayList;
import java.util.List;

/** What a recipe makes of one statement: its steps, each in a phase, or why it makes none. */
sealed interface Outcome permits Outcome.Planned, Outcome.NotPlanned {

    /** A step and the phase it runs in. */
    record Placed(Phase phase, Step step) {}

    /** The statement's steps, in the order they run within each phase. */
    record Planned(List<Placed> steps) implements Outcome {
        public Planned {
            steps = List.copyOf(steps);
            if (steps.isEmpty()) throw new IllegalArgumentException("a planned statement has at least one step");
        }

        Phase earliest() {
            return steps.stream().map(Placed::phase).min(Enum::compareTo).orElseThrow();
        }

        Phase latest() {
            return steps.stream().map(Placed::phase).max(Enum::compareTo).orElseThrow();
        }
    }

    record NotPlanned(Unplanned.Reason reason, String message, String instead) implements Outcome {}

    static Builder steps() {
        return new Builder();
    }

    static NotPlanned notYet(String message, String instead) {
        return new NotPlanned(Unplanned.Reason.RECIPE_NOT_YET_AVAILABLE, message, instead);
    }

    static NotPlanned precondition(String message, String instead) {
        return new NotPlanned(Unplanned.Reason.PRECONDITION, message, instead);
    }

    final class Builder {
        private final List<Placed> steps = new ArrayList<>();

        Builder add(Phase phase, Step step) {
            steps.add(new Placed(phase, step));
            return this;
        }

        Builder expand(Step step) {
            return add(Phase.EXPAND, step);
        }

        Builder backfill(Step step) {
            return add(Phase.BACKFILL, step);
        }

        Builder contract(Step step) {
            return add(Phase.CONTRACT, step);
        }

        Planned build() {
            return new Planned(steps);
        }
    }
}
