package dev.tandem.exec;

import dev.tandem.plan.ReleasePlan;
import dev.tandem.state.ReleaseRecord;
import dev.tandem.state.ReleaseSource;
import java.util.List;

/**
 * An unfinished release as recorded: what a later run continues.
 *
 * @param plan    the plan it was created with, or {@code null} for a release recorded before plans
 *                were stored (state schema version 1)
 * @param sources the migrations it was planned from, with their checksums
 */
public record StoredRelease(ReleaseRecord release, ReleasePlan plan, List<ReleaseSource> sources) {
    public StoredRelease {
        sources = List.copyOf(sources);
    }

    /**
     * How the migrations given now differ from those the release was planned from: each one that
     * changed or is gone, in the release's order. Empty when the release can continue.
     */
    public List<String> changes(List<ReleaseSource> now) {
        List<String> out = new java.util.ArrayList<>();
        for (ReleaseSource was : sources) {
            ReleaseSource is = now.stream().filter(was::sameMigration).findFirst().orElse(null);
            if (is == null) out.add(was.script() + " (migration " + was.label() + ") is gone");
            else if (!is.checksum().equals(was.checksum())) out.add(was.script() + " (migration " + was.label() + ") changed");
        }
        return out;
    }
}
