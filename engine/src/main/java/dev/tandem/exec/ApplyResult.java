package dev.tandem.exec;

import dev.tandem.plan.Phase;
import dev.tandem.state.ReleaseRecord;
import java.util.List;

/**
 * What one {@code apply} did.
 *
 * @param release the release as recorded after the run
 * @param steps   the steps of the phases it was asked to run, in order, with what became of each
 */
public record ApplyResult(ReleaseRecord release, List<StepOutcome> steps) {
    public ApplyResult {
        steps = List.copyOf(steps);
    }

    /** What became of one step in this run. */
    public enum Outcome {
        /** Run to completion by this run. */
        RAN,
        /** Its onlyIf guard said there was nothing to do. */
        SKIPPED,
        /** Done or skipped by an earlier run: not repeated. */
        ALREADY_DONE
    }

    /** @param attempts attempts of the step by all runs together */
    public record StepOutcome(Phase phase, int ordinal, String migration, int line, Outcome outcome, int attempts) {}

    public long count(Outcome outcome) {
        return steps.stream().filter(s -> s.outcome() == outcome).count();
    }
}
