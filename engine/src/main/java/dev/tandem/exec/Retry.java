package dev.tandem.exec;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Which errors an attempt is retried on, and how long to wait before the retry: exponential
 * backoff with full jitter (a wait uniformly drawn from zero to a bound that doubles per retry, up
 * to a cap), so that runners competing for the same lock do not retry in step.
 */
final class Retry {
    /**
     * 55P03 lock_not_available (lock_timeout expired: the statement queued for its lock and gave
     * up, so traffic queued behind it for at most that long), 40P01 deadlock_detected, 40001
     * serialization_failure. Anything else is a real error of the step and is not retried.
     */
    static final Set<String> RETRYABLE = Set.of("55P03", "40P01", "40001");

    private Retry() {}

    static boolean retryable(SQLException e) {
        return e.getSQLState() != null && RETRYABLE.contains(e.getSQLState());
    }

    /** The wait before retry number {@code retry} (1 for the first retry). */
    static Duration delay(int retry, Duration base, Duration max, RandomGenerator random) {
        double bound = Math.min((double) max.toMillis(), base.toMillis() * Math.pow(2, retry - 1));
        return Duration.ofMillis(random.nextLong((long) bound + 1));
    }
}
