package dev.tandem.exec;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of one backfill step, tagged with its table: what a DBA graphs next to the
 * database's own metrics. Names follow Micrometer's dotted convention; Prometheus shows them as
 * {@code tandem_backfill_rows_total}, {@code tandem_backfill_batch_seconds_bucket},
 * {@code tandem_backfill_throttled_seconds_total{reason=…}}, {@code tandem_backfill_batch_size_rows}
 * and {@code tandem_backfill_waiting}.
 */
final class BackfillMetrics {
    private final MeterRegistry registry;
    private final String table;
    private final Counter rows;
    private final Timer batches;
    /**
     * The gauges' state per registry and table. A gauge is registered once per name and tags, and
     * keeps the state object of that first registration; a second backfill of the same table in
     * the same process (a resumed step, the next release) must update that same object.
     */
    private static final Map<MeterRegistry, Map<String, AtomicInteger[]>> GAUGES =
            Collections.synchronizedMap(new WeakHashMap<>());

    private final AtomicInteger batchSize;
    private final AtomicInteger waiting;

    BackfillMetrics(MeterRegistry registry, String table) {
        this.registry = registry;
        this.table = table;
        this.rows = Counter.builder("tandem.backfill.rows").description("Rows changed by committed backfill batches")
                .tag("table", table).register(registry);
        this.batches = Timer.builder("tandem.backfill.batch").description("Duration of committed backfill batches")
                .tag("table", table).publishPercentileHistogram().register(registry);
        AtomicInteger[] state = GAUGES.computeIfAbsent(registry, r -> new ConcurrentHashMap<>()).computeIfAbsent(table, t -> {
            AtomicInteger[] s = {new AtomicInteger(), new AtomicInteger()};
            Gauge.builder("tandem.backfill.batch.size", s[0], AtomicInteger::get).baseUnit("rows")
                    .description("Rows the next backfill batch takes").tag("table", t).register(registry);
            Gauge.builder("tandem.backfill.waiting", s[1], AtomicInteger::get)
                    .description("1 while the backfill waits for its throttle or an operator's pause").tag("table", t)
                    .register(registry);
            return s;
        });
        this.batchSize = state[0];
        this.waiting = state[1];
    }

    void batch(long changed, long nanos, int nextSize) {
        rows.increment(changed);
        batches.record(Duration.ofNanos(nanos));
        batchSize.set(nextSize);
    }

    void batchSizeIs(int rows) {
        batchSize.set(rows);
    }

    void waiting(boolean now) {
        waiting.set(now ? 1 : 0);
    }

    /** {@code d} spent waiting because of {@code reason} (a signal id, or "paused"). */
    void throttled(String reason, Duration d) {
        Counter.builder("tandem.backfill.throttled").baseUnit("seconds")
                .description("Time a backfill waited, per reason").tags("table", table, "reason", reason).register(registry)
                .increment(d.toNanos() / 1e9);
    }
}
