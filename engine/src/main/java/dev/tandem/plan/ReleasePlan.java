package dev.tandem.plan;

import dev.tandem.classify.PgVersion;
import java.util.List;
import java.util.stream.Stream;

/**
 * What Tandem runs for a release: every pending migration, planned together, as the three phases
 * in order (each present, possibly empty), plus the statements it will not run and why.
 *
 * @param postgresVersion the version the plan was made for
 * @param phases          expand, backfill, contract, in that order
 * @param unplanned       statements without steps, in migration order
 */
public record ReleasePlan(PgVersion postgresVersion, List<PhasePlan> phases, List<Unplanned> unplanned) {
    public ReleasePlan {
        phases = List.copyOf(phases);
        unplanned = List.copyOf(unplanned);
        if (phases.size() != Phase.values().length) {
            throw new IllegalArgumentException("a release plan has one entry per phase");
        }
        for (int i = 0; i < phases.size(); i++) {
            if (phases.get(i).phase() != Phase.values()[i]) {
                throw new IllegalArgumentException("phases out of order: " + phases.get(i).phase() + " at " + i);
            }
        }
    }

    public PhasePlan phase(Phase phase) {
        return phases.get(phase.ordinal());
    }

    /** The steps of one phase. */
    public List<Step> steps(Phase phase) {
        return phase(phase).steps();
    }

    /** Every step, expand first. */
    public Stream<Step> allSteps() {
        return phases.stream().flatMap(p -> p.steps().stream());
    }

    /** Whether the whole release can run: every statement has its steps. */
    public boolean executable() {
        return unplanned.isEmpty();
    }

    /**
     * Whether everything before the gate can be undone (no irreversible expand or backfill step),
     * so that the release can be abandoned until the contract starts.
     */
    public boolean reversibleBeforeContract() {
        return Stream.concat(steps(Phase.EXPAND).stream(), steps(Phase.BACKFILL).stream()).allMatch(Step::reversible);
    }
}
