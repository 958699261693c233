package dev.tandem.plan;

import java.util.List;

/** The steps of one phase, in the order the executor runs them. */
public record PhasePlan(Phase phase, List<Step> steps) {
    public PhasePlan {
        steps = List.copyOf(steps);
    }
}
