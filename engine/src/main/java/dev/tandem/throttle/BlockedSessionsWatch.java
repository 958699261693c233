package dev.tandem.throttle;

import dev.tandem.exec.ConnectionFactory;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Samples {@link BlockedSessions} on a daemon thread and session of its own, every
 * {@link BlockedSessions#interval()}, and keeps the longest wait seen since the throttle last took
 * a reading.
 *
 * <p>Why not read it in {@link HealthThrottle#check}: the backfill asks between two batches, when
 * its backend holds no lock at all, so a read then would never find anyone behind it. A sample
 * taken while a batch runs does, and the longest wait is kept until the throttle's next check, by
 * when the batch (and the wait) is over. The thread only samples; the decision, with its time,
 * hysteresis and minimum pause, stays in {@code check}.
 */
final class BlockedSessionsWatch implements AutoCloseable {
    /**
     * Sampling intervals without a sample (plus two read timeouts, the longest a sample may take)
     * after which the watch itself counts as unreadable: a stuck thread or session.
     */
    static final int MAX_MISSED_SAMPLES = 3;

    private final BlockedSessions signal;
    private final MonitoringConnection session;
    private final LongSupplier nanoTime;
    private final long staleAfterNanos;
    private ScheduledExecutorService thread;

    private Reading worst; // longest wait since the last take
    private Reading last; // what the last take returned
    private SQLException failure; // the latest sample's failure, cleared by a good sample
    private long lastSampleNanos;
    private boolean sampled;

    BlockedSessionsWatch(BlockedSessions signal, ConnectionFactory connections, Duration readTimeout) {
        this(signal, connections, readTimeout, System::nanoTime);
    }

    /**
     * @param nanoTime the watch thread's own monotonic clock, for its liveness only: it samples in
     *                 real time whatever times the backfill's checks carry
     */
    BlockedSessionsWatch(BlockedSessions signal, ConnectionFactory connections, Duration readTimeout, LongSupplier nanoTime) {
        this.signal = signal;
        this.session = new MonitoringConnection(connections, readTimeout);
        this.nanoTime = nanoTime;
        this.staleAfterNanos = MAX_MISSED_SAMPLES * signal.interval().toNanos() + 2 * readTimeout.toNanos();
    }

    /** Samples once now, then every interval on a daemon thread. */
    void start() {
        sample();
        long ms = signal.interval().toMillis();
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tandem throttle: blocked-sessions watch");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::sample, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** One sample; never throws (a failure is kept for the next take). */
    void sample() {
        Reading r;
        long at = nanoTime.getAsLong();
        try {
            r = signal.read(session.get());
        } catch (SQLException e) {
            session.failed(e);
            synchronized (this) {
                failure = e;
                sampledAt(at);
            }
            return;
        } catch (RuntimeException e) {
            synchronized (this) {
                failure = new SQLException("blocked-sessions sample failed: " + e, e);
                sampledAt(at);
            }
            return;
        }
        synchronized (this) {
            failure = null;
            sampledAt(at);
            if (worst == null || r.value() > worst.value()) worst = r;
        }
    }

    private void sampledAt(long at) {
        lastSampleNanos = at;
        sampled = true;
    }

    /**
     * The longest wait sampled since the last take, else the last reading taken; the latest
     * sample's failure if it failed; a failure too if the watch has not sampled for
     * {@link #MAX_MISSED_SAMPLES} intervals.
     */
    synchronized Reading take() throws SQLException {
        if (failure != null) throw failure;
        long silent = sampled ? nanoTime.getAsLong() - lastSampleNanos : Long.MAX_VALUE;
        if (silent > staleAfterNanos) {
            throw new SQLException("the blocked-sessions watch has taken no sample for "
                    + (sampled ? Units.duration(Duration.ofNanos(silent)) : "ever") + " (interval "
                    + Units.duration(signal.interval()) + ")");
        }
        if (worst != null) {
            last = worst;
            worst = null;
        }
        return last;
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.shutdownNow();
            try {
                thread.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            session.close();
        }
    }
}
