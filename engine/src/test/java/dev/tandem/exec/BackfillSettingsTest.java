package dev.tandem.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code migrate backfill set} accepts for the batches, and how it refuses the rest. */
class BackfillSettingsTest {
    private final BackfillOptions base = BackfillOptions.DEFAULTS;

    @Test
    void batchSettingsApplyToTheBaseOptions() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("min-batch", "500");
        o.put("max-batch", "20_000");
        o.put("target-batch-time", "100ms");
        o.put("nice-ratio", "0.5");
        o.put("batch-timeout", "3s");
        BackfillOptions b = BackfillSettings.apply(base, o);
        assertThat(b.minBatch()).isEqualTo(500);
        assertThat(b.maxBatch()).isEqualTo(20_000);
        assertThat(b.initialBatch()).isEqualTo(1_000);
        assertThat(b.targetBatchTime()).isEqualTo(Duration.ofMillis(100));
        assertThat(b.batchTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(b.niceRatio()).isEqualTo(0.5);

        assertThat(BackfillSettings.apply(base, Map.of("batch-size", "250"))).satisfies(f -> {
            assertThat(f.adaptive()).isFalse();
            assertThat(f.initialBatch()).isEqualTo(250);
        });
        // auto after a fixed size from the command line: the default range again
        BackfillOptions back = BackfillSettings.apply(base.fixed(250), Map.of("batch-size", "auto"));
        assertThat(back.adaptive()).isTrue();
        assertThat(back.initialBatch()).isEqualTo(250);
        assertThat(back.maxBatch()).isEqualTo(base.maxBatch());
    }

    @Test
    void badNamesAndValuesAreRefusedWithWhatToWrite() {
        assertThatThrownBy(() -> BackfillSettings.apply(base, Map.of("batch-size", "lots")))
                .hasMessage("batch-size=lots: write a number of rows, at least 1, or auto");
        assertThatThrownBy(() -> BackfillSettings.apply(base, Map.of("min-batch", "0")))
                .hasMessage("min-batch=0: write a number of rows, at least 1");
        assertThatThrownBy(() -> BackfillSettings.apply(base, Map.of("batch-timeout", "5")))
                .hasMessage("batch-timeout='5' is not a duration: write it like 500ms, 2s, 1.5s, 10m or 1h");
        assertThatThrownBy(() -> BackfillSettings.apply(base, Map.of("nice-ratio", "-1")))
                .hasMessage("nice-ratio=-1: write a multiple of the batch's duration between 0 and 100, like 0.5");
        assertThatThrownBy(() -> BackfillSettings.apply(base, Map.of("speed", "fast")))
                .hasMessageStartingWith("there is no backfill setting 'speed'; the settings are: batch-size, batch-timeout,");
        assertThatThrownBy(() -> BackfillSettings.apply(base, Map.of("max-batch", "50")))
                .hasMessage("the largest batch (50) is smaller than the smallest (100)");
    }
}
