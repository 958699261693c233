package dev.tandem.exec;

import dev.tandem.throttle.ThrottleFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How the executor runs steps. Validated up front (a bad value fails before anything runs).
 *
 * @param lockTimeout          {@code lock_timeout} of every attempt: how long a step may queue for
 *                             its lock, and so how long it may make traffic queue behind it
 * @param ddlStatementTimeout  {@code statement_timeout} of catalog-only DDL (concurrent builds,
 *                             VALIDATE and backfill batches get none)
 * @param maxAttempts          attempts per step (and per backfill batch) on lock timeouts,
 *                             deadlocks and serialization failures, the first included
 * @param maxRetryTime         no retry starts later than this after the step's first attempt
 * @param backoffBase          the first retry waits up to this; each further one up to twice as long
 * @param backoffMax           the cap of that bound (the wait itself is uniformly random below the
 *                             bound: "full jitter", so that competing runners spread out)
 * @param backfill             batch sizes, batch timeout and throttle of backfill steps
 * @param waitForRunLock       whether to wait for another run's lock instead of failing at once
 * @param runLockWaitLimit     how long to wait for it; {@link Duration#ZERO} waits without limit
 * @param listener             told of each step's events as they are recorded
 * @param meters               where backfill metrics go (a composite with no registry drops them)
 */
public record ExecOptions(
        Duration lockTimeout,
        Duration ddlStatementTimeout,
        int maxAttempts,
        Duration maxRetryTime,
        Duration backoffBase,
        Duration backoffMax,
        BackfillOptions backfill,
        boolean waitForRunLock,
        Duration runLockWaitLimit,
        Sleeper sleeper,
        RandomGenerator random,
        Clock clock,
        ExecListener listener,
        MeterRegistry meters) {

    public static final ExecOptions DEFAULTS = new ExecOptions(Duration.ofSeconds(2), Duration.ofSeconds(30), 10,
            Duration.ofMinutes(5), Duration.ofMillis(200), Duration.ofSeconds(10), BackfillOptions.DEFAULTS, false, Duration.ZERO,
            Sleeper.SYSTEM, RandomGenerator.getDefault(), Clock.systemUTC(), ExecListener.NONE, new CompositeMeterRegistry());

    public ExecOptions {
        positive(lockTimeout, "lockTimeout");
        positive(ddlStatementTimeout, "ddlStatementTimeout");
        positive(maxRetryTime, "maxRetryTime");
        positive(backoffBase, "backoffBase");
        positive(backoffMax, "backoffMax");
        Objects.requireNonNull(runLockWaitLimit, "runLockWaitLimit");
        if (runLockWaitLimit.isNegative()) throw new IllegalArgumentException("runLockWaitLimit must not be negative");
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
        Objects.requireNonNull(backfill, "backfill");
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(meters, "meters");
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive, not " + d);
        if (d.toMillis() < 1) throw new IllegalArgumentException(name + " must be at least 1 ms, not " + d);
    }

    public ExecOptions withLockTimeout(Duration d) {
        return new ExecOptions(d, ddlStatementTimeout, maxAttempts, maxRetryTime, backoffBase, backoffMax, backfill,
                waitForRunLock, runLockWaitLimit, sleeper, random, clock, listener, meters);
    }

    public ExecOptions withDdlStatementTimeout(Duration d) {
        return new ExecOptions(lockTimeout, d, maxAttempts, maxRetryTime, backoffBase, backoffMax, backfill,
                waitForRunLock, runLockWaitLimit, sleeper, random, clock, listener, meters);
    }

    public ExecOptions withRetries(int attempts, Duration maxTime) {
        return new ExecOptions(lockTimeout, ddlStatementTimeout, attempts, maxTime, backoffBase, backoffMax, backfill,
                waitForRunLock, runLockWaitLimit, sleeper, random, clock, listener, meters);
    }

    public ExecOptions withBackoff(Duration base, Duration max) {
        return new ExecOptions(lockTimeout, ddlStatementTimeout, maxAttempts, maxRetryTime, base, max, backfill,
                waitForRunLock, runLockWaitLimit, sleeper, random, clock, listener, meters);
    }

    /** Backfill batches of exactly {@code rows} rows (no adaptive sizing). */
    public ExecOptions withBatchSize(int rows) {
        return withBackfill(backfill.fixed(rows));
    }

    public ExecOptions withBackfill(BackfillOptions b) {
        return new ExecOptions(lockTimeout, ddlStatementTimeout, maxAttempts, maxRetryTime, backoffBase, backoffMax, b,
                waitForRunLock, runLockWaitLimit, sleeper, random, clock, listener, meters);
    }

    public ExecOptions withThrottle(ThrottleFactory t) {
        return withBackfill(backfill.withThrottle(t));
    }

    public ExecOptions withMeters(MeterRegistry registry) {
        return new ExecOptions(lockTimeout, ddlStatementTimeout, maxAttempts, maxRetryTime, backoffBase, backoffMax, backfill,
                waitForRunLock, runLockWaitLimit, sleeper, random, clock, listener, registry);
    }

    /** Wait for another run's lock, up to {@code limit} ({@link Duration#ZERO}: no limit). */
    public ExecOptions withWaitForRunLock(Duration limit) {
        return new ExecOptions(lockTimeout, ddlStatementTimeout, maxAttempts, maxRetryTime, backoffBase, backoffMax,
                backfill, true, limit, sleeper, random, clock, listener, meters);
    }

    public ExecOptions withTime(Sleeper s, RandomGenerator r, Clock c) {
        return new ExecOptions(lockTimeout, ddlStatementTimeout, maxAttempts, maxRetryTime, backoffBase, backoffMax,
                backfill, waitForRunLock, runLockWaitLimit, s, r, c, listener, meters);
    }

    /** Told of every step event as it is recorded (the CLI prints them as a run goes). */
    public ExecOptions withListener(ExecListener l) {
        return new ExecOptions(lockTimeout, ddlStatementTimeout, maxAttempts, maxRetryTime, backoffBase, backoffMax,
                backfill, waitForRunLock, runLockWaitLimit, sleeper, random, clock, l, meters);
    }
}
