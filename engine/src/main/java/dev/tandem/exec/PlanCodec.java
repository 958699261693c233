package dev.tandem.exec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.classify.PgVersion;
import dev.tandem.plan.BackfillStep;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PhasePlan;
import dev.tandem.plan.ReleasePlan;
import dev.tandem.plan.SqlStep;
import dev.tandem.plan.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan of a release as stored in {@code tandem.releases.plan}: what later runs of the release
 * execute. A release is planned once, against the schema before its expand; planning it again
 * after expand would see the copy columns and triggers of its own expand and give another plan.
 * Only executable plans are stored, so the unplanned list is not.
 *
 * <p>Written with Jackson's record support: each step's record components as they are, wrapped
 * in {@code {"sql": …}} or {@code {"backfill": …}} because {@link Step} is a sealed interface.
 */
public final class PlanCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PlanCodec() {}

    record Stored(int postgresVersion, List<StoredPhase> phases) {}

    record StoredPhase(String phase, List<StoredStep> steps) {}

    /** Exactly one of the two is set. */
    record StoredStep(SqlStep sql, BackfillStep backfill) {
        Step step() {
            if ((sql == null) == (backfill == null)) throw new IllegalArgumentException("a stored step is sql or backfill");
            return sql != null ? sql : backfill;
        }
    }

    public static String encode(ReleasePlan plan) {
        if (!plan.executable()) throw new IllegalArgumentException("only an executable plan is stored");
        List<StoredPhase> phases = new ArrayList<>();
        for (Phase p : Phase.values()) {
            List<StoredStep> steps = plan.steps(p).stream().map(s -> switch (s) {
                case SqlStep q -> new StoredStep(q, null);
                case BackfillStep b -> new StoredStep(null, b);
            }).toList();
            phases.add(new StoredPhase(p.id(), steps));
        }
        try {
            return JSON.writeValueAsString(new Stored(plan.postgresVersion().major(), phases));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a plan is plain data", e);
        }
    }

    public static ReleasePlan decode(String json) {
        Stored stored;
        try {
            stored = JSON.readValue(json, Stored.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stored plan of a release cannot be read: " + e.getOriginalMessage(), e);
        }
        List<PhasePlan> phases = new ArrayList<>();
        for (StoredPhase p : stored.phases()) {
            phases.add(new PhasePlan(Phase.fromId(p.phase()), p.steps().stream().map(StoredStep::step).toList()));
        }
        return new ReleasePlan(new PgVersion(stored.postgresVersion()), phases, List.of());
    }
}
