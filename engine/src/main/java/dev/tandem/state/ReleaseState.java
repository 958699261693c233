package dev.tandem.state;

import java.util.List;

/** A release with its steps (phase, then ordinal order) and backfill checkpoints: what {@code migrate status} shows. */
public record ReleaseState(ReleaseRecord release, List<StepRecord> steps, List<Checkpoint> checkpoints) {
    public ReleaseState {
        steps = List.copyOf(steps);
        checkpoints = List.copyOf(checkpoints);
    }
}
