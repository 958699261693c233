package dev.tandem.it.exec;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application version at work: threads, each on a connection of its own, running {@link Action}s
 * in a loop until stopped. Every failed statement is counted (the first messages kept), never
 * retried; each thread records what it last wrote to the rows it owns; latencies are kept.
 */
final class Workload implements AutoCloseable {
    /** One unit of the app's work; {@code rows} is this thread's own rows and what it last wrote to each. */
    interface Action {
        void run(Connection c, Map<Long, Row> rows, java.util.random.RandomGenerator random) throws SQLException;
    }

    /** What a row should hold: the values its owner last wrote. */
    record Row(String name, long balance, String email) {}

    interface Connector {
        Connection connect() throws SQLException;
    }

    private final String label;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong statements = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final List<String> firstErrors = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> latenciesNanos = Collections.synchronizedList(new ArrayList<>());
    private final Map<Long, Row> written = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();

    Workload(String label, int threadCount, Connector connector, Action action) throws SQLException {
        this.label = label;
        for (int t = 0; t < threadCount; t++) {
            Connection c = connector.connect();
            c.setAutoCommit(true);
            long seed = t * 7919L + label.hashCode();
            Thread thread = Thread.ofPlatform().name(label + "-" + t).start(() -> loop(c, action, seed));
            threads.add(thread);
        }
    }

    private void loop(Connection c, Action action, long seed) {
        java.util.random.RandomGenerator random = new java.util.SplittableRandom(seed);
        Map<Long, Row> own = new java.util.HashMap<>();
        try (c) {
            while (running.get()) {
                long start = System.nanoTime();
                try {
                    action.run(c, own, random);
                } catch (SQLException e) {
                    errors.incrementAndGet();
                    if (firstErrors.size() < 5) firstErrors.add(Thread.currentThread().getName() + ": " + e.getMessage());
                } finally {
                    latenciesNanos.add(System.nanoTime() - start);
                    statements.incrementAndGet();
                }
                Thread.sleep(2);
            }
        } catch (SQLException | InterruptedException e) {
            errors.incrementAndGet();
            firstErrors.add(Thread.currentThread().getName() + " ended: " + e);
        } finally {
            written.putAll(own);
        }
    }

    /** Stops the threads and waits for them; the rows they wrote are then complete. */
    void stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) t.join();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    long statements() {
        return statements.get();
    }

    long errors() {
        return errors.get();
    }

    String describeErrors() {
        return label + ": " + errors.get() + " failed of " + statements.get() + ": " + firstErrors;
    }

    Map<Long, Row> written() {
        return written;
    }

    long maxLatencyMillis() {
        synchronized (latenciesNanos) {
            return latenciesNanos.stream().mapToLong(Long::longValue).max().orElse(0) / 1_000_000;
        }
    }
}
