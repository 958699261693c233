package dev.tandem.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThrottleSettingsTest {
    private static final ThrottleSettings D = ThrottleSettings.DEFAULTS;

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        assertThat(D.maxReplayLag()).isEqualTo(Duration.ofSeconds(2));
        assertThat(D.maxReplayLagBytes()).isEqualTo(256L * 1024 * 1024);
        assertThat(D.maxSlotRetentionBytes()).isEqualTo(10L * 1024 * 1024 * 1024);
        assertThat(D.maxBlockedWait()).isEqualTo(Duration.ofSeconds(1));
        assertThat(D.maxTransactionAge()).isEqualTo(Duration.ofMinutes(10));
        assertThat(D.maxXminAge()).isEqualTo(10_000_000L);
        assertThat(D.pauseForVacuum()).isTrue();
        assertThat(D.sqlCheck()).isNull();
        assertThat(D.httpCheck()).isNull();
        assertThat(D.httpCheckTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(D.readTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(D.lagInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(D.slotInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(D.blockedInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(D.transactionInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(D.vacuumInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(D.userCheckInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(D.hysteresis()).isEqualTo(0.8);
        assertThat(D.minPause()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void everyWithChangesItsOwnValuesOnly() {
        ThrottleSettings s = D.withMaxReplayLag(Duration.ofMillis(1500), 1024)
                .withMaxSlotRetentionBytes(2048)
                .withMaxBlockedWait(Duration.ofMillis(300))
                .withMaxTransactionAge(Duration.ofMinutes(3), 42)
                .withPauseForVacuum(false)
                .withSqlCheck("SELECT false")
                .withHttpCheck(URI.create("http://127.0.0.1:8080/health"), Duration.ofMillis(500))
                .withReadTimeout(Duration.ofMillis(700))
                .withIntervals(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300),
                        Duration.ofMillis(400), Duration.ofMillis(500), Duration.ofMillis(600))
                .withHysteresis(0.5)
                .withMinPause(Duration.ZERO);

        assertThat(s).isEqualTo(new ThrottleSettings(Duration.ofMillis(1500), 1024, 2048, Duration.ofMillis(300),
                Duration.ofMinutes(3), 42, false, "SELECT false", URI.create("http://127.0.0.1:8080/health"),
                Duration.ofMillis(500), Duration.ofMillis(700), Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofMillis(300), Duration.ofMillis(400), Duration.ofMillis(500), Duration.ofMillis(600), 0.5,
                Duration.ZERO));
        assertThat(s.withMaxReplayLag(Duration.ofSeconds(9)).maxReplayLagBytes()).isEqualTo(1024);
        assertThat(s.withIntervals(Duration.ofSeconds(3))).satisfies(t -> {
            assertThat(t.lagInterval()).isEqualTo(Duration.ofSeconds(3));
            assertThat(t.userCheckInterval()).isEqualTo(Duration.ofSeconds(3));
            assertThat(t.hysteresis()).isEqualTo(0.5);
        });
        assertThat(s.withSqlCheck(null).withHttpCheck(null, Duration.ofSeconds(1)))
                .extracting(ThrottleSettings::sqlCheck, ThrottleSettings::httpCheck).containsOnlyNulls();
    }

    @Test
    void badValuesAreRefusedWithTheSettingAndTheValueNamed() {
        assertThatThrownBy(() -> D.withMaxReplayLag(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxReplayLag must be at least 1 ms, not 0 ms");
        assertThatThrownBy(() -> D.withMaxReplayLag(Duration.ofSeconds(-2)))
                .hasMessage("maxReplayLag must be at least 1 ms, not -2 s");
        assertThatThrownBy(() -> D.withMaxReplayLag(Duration.ofSeconds(1), 0))
                .hasMessage("maxReplayLagBytes must be positive, not 0");
        assertThatThrownBy(() -> D.withMaxSlotRetentionBytes(-1))
                .hasMessage("maxSlotRetentionBytes must be positive, not -1");
        assertThatThrownBy(() -> D.withMaxBlockedWait(Duration.ofNanos(10)))
                .hasMessage("maxBlockedWait must be at least 1 ms, not 10 ns");
        assertThatThrownBy(() -> D.withMaxTransactionAge(Duration.ofMinutes(1), 0))
                .hasMessage("maxXminAge must be positive, not 0");
        assertThatThrownBy(() -> D.withMaxTransactionAge(Duration.ZERO, 10))
                .hasMessage("maxTransactionAge must be at least 1 ms, not 0 ms");
        assertThatThrownBy(() -> D.withSqlCheck("  "))
                .hasMessage("sqlCheck must be a query, not blank (null: no SQL check)");
        assertThatThrownBy(() -> D.withHttpCheck(URI.create("health"), Duration.ofSeconds(1)))
                .hasMessage("httpCheck must be an absolute http or https URL with a host, not 'health'");
        assertThatThrownBy(() -> D.withHttpCheck(URI.create("ftp://example.com/x"), Duration.ofSeconds(1)))
                .hasMessage("httpCheck must be an absolute http or https URL with a host, not 'ftp://example.com/x'");
        assertThatThrownBy(() -> D.withHttpCheck(URI.create("http://example.com/x"), Duration.ZERO))
                .hasMessage("httpCheckTimeout must be at least 1 ms, not 0 ms");
        assertThatThrownBy(() -> D.withReadTimeout(Duration.ZERO))
                .hasMessage("readTimeout must be at least 1 ms, not 0 ms");
        assertThatThrownBy(() -> D.withIntervals(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessage("blockedInterval must be at least 1 ms, not 0 ms");
        assertThatThrownBy(() -> D.withHysteresis(0))
                .hasMessage("hysteresis must be a fraction of the limit in (0, 1], e.g. 0.8, not 0.0");
        assertThatThrownBy(() -> D.withHysteresis(1.2))
                .hasMessage("hysteresis must be a fraction of the limit in (0, 1], e.g. 0.8, not 1.2");
        assertThatThrownBy(() -> D.withHysteresis(Double.NaN))
                .hasMessage("hysteresis must be a fraction of the limit in (0, 1], e.g. 0.8, not NaN");
        assertThatThrownBy(() -> D.withMinPause(Duration.ofMillis(-5)))
                .hasMessage("minPause must not be negative, not -5 ms");
        assertThatThrownBy(() -> D.withMinPause(null)).isInstanceOf(NullPointerException.class).hasMessage("minPause");
        assertThat(D.withHysteresis(1).withMinPause(Duration.ZERO).hysteresis()).isEqualTo(1);
    }

    @Test
    void anOperatorChangesSettingsByNameWhileABackfillRuns() {
        HealthThrottle.Factory factory = HealthThrottle.factory(D);
        Map<String, String> set = new LinkedHashMap<>();
        set.put("max-lag", "5s");
        set.put("max-lag-bytes", "512MB");
        set.put("max-slot-retention", "20 GB");
        set.put("max-blocked-wait", "500ms");
        set.put("max-transaction-age", "30m");
        set.put("max-xmin-age", "50_000_000");
        set.put("pause-for-vacuum", "off");
        set.put("sql-check", "SELECT false");
        set.put("http-check", "http://127.0.0.1:9090/healthy");
        set.put("http-check-timeout", "1s");
        set.put("read-timeout", "3s");
        set.put("lag-interval", "250ms");
        set.put("slot-interval", "10s");
        set.put("blocked-interval", "1s");
        set.put("transaction-interval", "1m");
        set.put("vacuum-interval", "30s");
        set.put("user-check-interval", "2s");
        set.put("hysteresis", "0.5");
        set.put("min-pause", "10s");
        assertThat(factory.settingNames()).containsExactlyInAnyOrderElementsOf(set.keySet());

        HealthThrottle.Factory changed = factory.with(set);

        assertThat(changed.settings()).isEqualTo(new ThrottleSettings(Duration.ofSeconds(5), 512 * ThrottleSettings.MB,
                20 * ThrottleSettings.GB, Duration.ofMillis(500), Duration.ofMinutes(30), 50_000_000, false, "SELECT false",
                URI.create("http://127.0.0.1:9090/healthy"), Duration.ofSeconds(1), Duration.ofSeconds(3),
                Duration.ofMillis(250), Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(1),
                Duration.ofSeconds(30), Duration.ofSeconds(2), 0.5, Duration.ofSeconds(10)));
        assertThat(factory.with(Map.of())).isEqualTo(factory).isNotEqualTo(changed);
        assertThat(changed.with(Map.of("sql-check", "none", "http-check", "")).settings())
                .extracting(ThrottleSettings::sqlCheck, ThrottleSettings::httpCheck).containsOnlyNulls();
        assertThat(ThrottleOverrides.bytes("1024")).isEqualTo(1024);
        assertThat(ThrottleOverrides.bytes("1.5kB")).isEqualTo(1536);
    }

    @Test
    void aBadOverrideNamesTheSettingAndWhatToWrite() {
        HealthThrottle.Factory factory = HealthThrottle.factory(D);
        assertThatThrownBy(() -> factory.with(Map.of("max-lag", "soon")))
                .hasMessage("max-lag=soon: 'soon' is not a duration: write it like 500ms, 2s, 1.5s, 10m or 1h");
        assertThatThrownBy(() -> factory.with(Map.of("max-slot-retention", "lots")))
                .hasMessage("max-slot-retention=lots: 'lots' is not a size: write it like 256MB, 10GB or a number of bytes");
        assertThatThrownBy(() -> factory.with(Map.of("pause-for-vacuum", "maybe")))
                .hasMessage("pause-for-vacuum=maybe: write true or false, not 'maybe'");
        assertThatThrownBy(() -> factory.with(Map.of("max-lag", "0s")))
                .hasMessage("max-lag=0s: maxReplayLag must be at least 1 ms, not 0 ms");
        assertThatThrownBy(() -> factory.with(Map.of("http-check", "nowhere")))
                .hasMessage("http-check=nowhere: httpCheck must be an absolute http or https URL with a host, not 'nowhere'");
        assertThatThrownBy(() -> factory.with(Map.of("max-lg", "1s")))
                .hasMessage("there is no throttle setting 'max-lg'; they are: blocked-interval, http-check, http-check-timeout, "
                        + "hysteresis, lag-interval, max-blocked-wait, max-lag, max-lag-bytes, max-slot-retention, "
                        + "max-transaction-age, max-xmin-age, min-pause, pause-for-vacuum, read-timeout, slot-interval, "
                        + "sql-check, transaction-interval, user-check-interval, vacuum-interval");
    }
}
