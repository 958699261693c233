package dev.tandem.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The adaptive batch size: grow by at most a quarter, shrink at once, clamp, split on timeouts. */
class BatchSizerTest {
    private static final long MS = 1_000_000;

    @Test
    void growsByAtMostAQuarterTowardsTheTarget() {
        BatchSizer s = new BatchSizer(1_000, 100, 100_000, Duration.ofMillis(200));
        // 1,000 rows in 20 ms: 10,000 would fit the target, but it grows to 1,250 only
        assertThat(s.record(1_000, 20 * MS)).isEqualTo(1_250);
        assertThat(s.record(1_250, 20 * MS)).isEqualTo(1_562);
        // close to the target: the rate's own answer
        assertThat(s.record(1_562, 190 * MS)).isEqualTo(1_644);
    }

    @Test
    void shrinksAtOnceWhenABatchTakesTooLong() {
        BatchSizer s = new BatchSizer(10_000, 100, 100_000, Duration.ofMillis(200));
        assertThat(s.record(10_000, 2_000 * MS)).isEqualTo(1_000);
        assertThat(s.record(1_000, 20_000 * MS)).as("clamped to the minimum").isEqualTo(100);
    }

    @Test
    void staysWithinItsLimitsAndIgnoresEmptyBatches() {
        BatchSizer s = new BatchSizer(90_000, 100, 100_000, Duration.ofMillis(200));
        assertThat(s.record(90_000, MS)).isEqualTo(100_000);
        assertThat(s.record(0, MS)).isEqualTo(100_000);
        assertThat(s.record(10, 0)).isEqualTo(100_000);
        s.limits(10, 500);
        assertThat(s.size()).isEqualTo(500);
        s.fix(7);
        assertThat(s.record(7, MS)).isEqualTo(7);
        assertThat(s.record(7, 10_000 * MS)).isEqualTo(7);
        assertThatThrownBy(() -> s.limits(5, 4)).hasMessage("bad batch range 5..4");
    }

    @Test
    void aTimedOutBatchIsSplitBelowTheMinimumDownToOneRow() {
        BatchSizer s = new BatchSizer(300, 200, 1_000, Duration.ofMillis(200));
        assertThat(s.split()).isTrue();
        assertThat(s.size()).isEqualTo(150);
        while (s.size() > 1) assertThat(s.split()).isTrue();
        assertThat(s.split()).as("one row that times out cannot be split").isFalse();
        // batches that then fit grow back by a quarter at most, not straight to the minimum (which
        // timed out before: QA saw 399 rolled-back batches for 199 committed ones that way)
        s.fix(300);
        s.limits(200, 1_000);
        s.split();
        s.split();
        assertThat(s.size()).isEqualTo(75);
        assertThat(s.record(75, 10 * MS)).isEqualTo(93);
        assertThat(s.record(93, 10 * MS)).isEqualTo(116);
        int n = 116;
        while (n < 200) n = s.record(n, 10 * MS);
        assertThat(n).as("back in the range, the minimum holds again").isBetween(200, 250);
        assertThat(s.record(n, 10_000 * MS)).isEqualTo(200);
    }

    @Test
    void optionsRefuseRangesThatCannotWork() {
        BackfillOptions d = BackfillOptions.DEFAULTS;
        assertThatThrownBy(() -> d.withBatchRange(10, 100, 50)).hasMessage("the largest batch (50) is smaller than the smallest (100)");
        assertThatThrownBy(() -> d.withBatchRange(10, 100, 500))
                .hasMessage("the first batch (10 rows) must lie between the smallest (100) and the largest (500)");
        assertThatThrownBy(() -> d.withBatchTimeout(Duration.ofMillis(10)))
                .hasMessage("the batch timeout (10 ms) must be longer than the target batch time (20 ms)");
        assertThat(d.fixed(500).adaptive()).isFalse();
        assertThat(d.adaptive()).isTrue();
    }
}
