package dev.tandem.exec;

import dev.tandem.state.ReleaseRecord;
import dev.tandem.state.StepRecord;
import java.util.List;

/**
 * What one {@code rollback} did.
 *
 * @param release    the release as recorded after the rollback
 * @param rolledBack the steps it undid, in the order it undid them (last first), as recorded after
 */
public record RollbackResult(ReleaseRecord release, List<StepRecord> rolledBack) {
    public RollbackResult {
        rolledBack = List.copyOf(rolledBack);
    }
}
