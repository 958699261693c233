package dev.tandem.exec;

import dev.tandem.plan.BackfillStep;
import dev.tandem.plan.Phase;
import dev.tandem.plan.ReleasePlan;
import dev.tandem.plan.SqlStep;
import dev.tandem.plan.Step;
import java.util.List;

/**
 * SHA-256 of what a plan runs. Each step hashes the fields that decide what runs and how it is
 * undone (migration, SQL, guards, transactionality, rollback, irreversibility); the purpose, the
 * expected locks and the line are descriptions, so re-wording them or moving a statement down a
 * line does not make an applied release look changed. The release fingerprint hashes the phases
 * and their step hashes in order.
 */
public final class Fingerprint {
    private static final char NULL = '\u0001';

    private Fingerprint() {}

    public static String of(ReleasePlan plan) {
        StringBuilder b = new StringBuilder();
        for (Phase p : Phase.values()) {
            b.append(p.id()).append('\n');
            for (Step s : plan.steps(p)) b.append(of(s)).append('\n');
        }
        return sha256(b.toString());
    }

    public static String of(Step step) {
        StringBuilder b = new StringBuilder();
        switch (step) {
            case SqlStep s -> fields(b, "sql", s.migration(), s.sql(), Boolean.toString(s.transactional()), s.onlyIf(),
                    s.cleanup() == null ? null : s.cleanup().when(), s.cleanup() == null ? null : s.cleanup().sql(),
                    s.rollback(), s.irreversible(), Boolean.toString(s.destructive()));
            case BackfillStep f -> fields(b, "backfill", f.migration(), f.table(), String.join("\u0002", f.key()),
                    f.operation().id(), f.set(), f.where(), f.irreversible());
        }
        return sha256(b.toString());
    }

    private static void fields(StringBuilder b, String... values) {
        for (String v : values) {
            // length-prefixed, so that no two field lists give the same text
            if (v == null) b.append(NULL);
            else b.append(v.length()).append(':').append(v);
            b.append('\0');
        }
    }

    static String sha256(String text) {
        return dev.tandem.state.Sha256.hex(text);
    }

    /** The migrations with steps in the plan, in plan order (expand first), each once. */
    static List<String> migrations(ReleasePlan plan) {
        return plan.allSteps().map(Step::migration).distinct().toList();
    }
}
