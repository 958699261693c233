package dev.tandem.exec;

import dev.tandem.state.ReleaseSource;
import java.util.List;

/**
 * A migration runner's own history, brought up to date when a release is done, so that the
 * runner treats its migrations as applied (Flyway: {@link FlywayHistorySync}).
 *
 * <p>Called once every step of the release is done and before the release is recorded done, on
 * every run that finds it so: a run killed in between calls it again, so it must be harmless to
 * repeat. A failure leaves the release unfinished with all its steps done; the next run retries.
 */
@FunctionalInterface
public interface ReleaseHistory {
    ReleaseHistory NONE = sources -> {};

    void record(List<ReleaseSource> sources);
}
