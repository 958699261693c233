package dev.tandem.throttle;

import dev.tandem.exec.DurationText;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link ThrottleSettings} as an operator changes them while a backfill runs
 * ({@code migrate backfill set max-lag=5s max-slot-retention=20GB sql-check=none}): one kebab-case
 * name per setting, durations as {@link DurationText} reads them, sizes in bytes or with a unit of
 * 1024 ({@code kB}, {@code MB}, {@code GB}, {@code TB}, as PostgreSQL writes them).
 */
final class ThrottleOverrides {
    static final String MAX_LAG = "max-lag";
    static final String MAX_LAG_BYTES = "max-lag-bytes";
    static final String MAX_SLOT_RETENTION = "max-slot-retention";
    static final String MAX_BLOCKED_WAIT = "max-blocked-wait";
    static final String MAX_TRANSACTION_AGE = "max-transaction-age";
    static final String MAX_XMIN_AGE = "max-xmin-age";
    static final String PAUSE_FOR_VACUUM = "pause-for-vacuum";
    static final String SQL_CHECK = "sql-check";
    static final String HTTP_CHECK = "http-check";
    static final String HTTP_CHECK_TIMEOUT = "http-check-timeout";
    static final String READ_TIMEOUT = "read-timeout";
    static final String LAG_INTERVAL = "lag-interval";
    static final String SLOT_INTERVAL = "slot-interval";
    static final String BLOCKED_INTERVAL = "blocked-interval";
    static final String TRANSACTION_INTERVAL = "transaction-interval";
    static final String VACUUM_INTERVAL = "vacuum-interval";
    static final String USER_CHECK_INTERVAL = "user-check-interval";
    static final String HYSTERESIS = "hysteresis";
    static final String MIN_PAUSE = "min-pause";

    static final Set<String> NAMES = Set.of(MAX_LAG, MAX_LAG_BYTES, MAX_SLOT_RETENTION, MAX_BLOCKED_WAIT,
            MAX_TRANSACTION_AGE, MAX_XMIN_AGE, PAUSE_FOR_VACUUM, SQL_CHECK, HTTP_CHECK, HTTP_CHECK_TIMEOUT, READ_TIMEOUT,
            LAG_INTERVAL, SLOT_INTERVAL, BLOCKED_INTERVAL, TRANSACTION_INTERVAL, VACUUM_INTERVAL, USER_CHECK_INTERVAL,
            HYSTERESIS, MIN_PAUSE);

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(b|bytes|kb|mb|gb|tb)?");

    private ThrottleOverrides() {}

    /**
     * {@code s} with {@code overrides} applied.
     *
     * @throws IllegalArgumentException naming the setting, the value and what to write instead
     */
    static ThrottleSettings apply(ThrottleSettings s, Map<String, String> overrides) {
        Duration maxLag = s.maxReplayLag();
        long maxLagBytes = s.maxReplayLagBytes();
        long maxSlot = s.maxSlotRetentionBytes();
        Duration maxBlocked = s.maxBlockedWait();
        Duration maxAge = s.maxTransactionAge();
        long maxXmin = s.maxXminAge();
        boolean vacuum = s.pauseForVacuum();
        String sql = s.sqlCheck();
        URI http = s.httpCheck();
        Duration httpTimeout = s.httpCheckTimeout();
        Duration readTimeout = s.readTimeout();
        Duration lag = s.lagInterval();
        Duration slot = s.slotInterval();
        Duration blocked = s.blockedInterval();
        Duration transaction = s.transactionInterval();
        Duration vacuumInterval = s.vacuumInterval();
        Duration user = s.userCheckInterval();
        double hysteresis = s.hysteresis();
        Duration minPause = s.minPause();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String name = e.getKey();
            String value = e.getValue() == null ? "" : e.getValue().trim();
            try {
                switch (name) {
                    case MAX_LAG -> maxLag = DurationText.parse(value);
                    case MAX_LAG_BYTES -> maxLagBytes = bytes(value);
                    case MAX_SLOT_RETENTION -> maxSlot = bytes(value);
                    case MAX_BLOCKED_WAIT -> maxBlocked = DurationText.parse(value);
                    case MAX_TRANSACTION_AGE -> maxAge = DurationText.parse(value);
                    case MAX_XMIN_AGE -> maxXmin = count(value);
                    case PAUSE_FOR_VACUUM -> vacuum = bool(value);
                    case SQL_CHECK -> sql = none(value) ? null : value;
                    case HTTP_CHECK -> http = none(value) ? null : url(value);
                    case HTTP_CHECK_TIMEOUT -> httpTimeout = DurationText.parse(value);
                    case READ_TIMEOUT -> readTimeout = DurationText.parse(value);
                    case LAG_INTERVAL -> lag = DurationText.parse(value);
                    case SLOT_INTERVAL -> slot = DurationText.parse(value);
                    case BLOCKED_INTERVAL -> blocked = DurationText.parse(value);
                    case TRANSACTION_INTERVAL -> transaction = DurationText.parse(value);
                    case VACUUM_INTERVAL -> vacuumInterval = DurationText.parse(value);
                    case USER_CHECK_INTERVAL -> user = DurationText.parse(value);
                    case HYSTERESIS -> hysteresis = fraction(value);
                    case MIN_PAUSE -> minPause = DurationText.parse(value);
                    default -> throw new IllegalArgumentException("there is no throttle setting '" + name
                            + "'; they are: " + String.join(", ", NAMES.stream().sorted().toList()));
                }
            } catch (IllegalArgumentException bad) {
                if (!NAMES.contains(name)) throw bad;
                throw new IllegalArgumentException(name + "=" + value + ": " + bad.getMessage(), bad);
            }
        }
        try {
            return new ThrottleSettings(maxLag, maxLagBytes, maxSlot, maxBlocked, maxAge, maxXmin, vacuum, sql, http,
                    httpTimeout, readTimeout, lag, slot, blocked, transaction, vacuumInterval, user, hysteresis, minPause);
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException(String.join(" ", overrides.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList()) + ": " + bad.getMessage(), bad);
        }
    }

    static long bytes(String value) {
        Matcher m = SIZE.matcher(value.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            double n = Double.parseDouble(m.group(1));
            long unit = switch (m.group(2) == null ? "b" : m.group(2)) {
                case "kb" -> 1024L;
                case "mb" -> ThrottleSettings.MB;
                case "gb" -> ThrottleSettings.GB;
                case "tb" -> 1024L * ThrottleSettings.GB;
                default -> 1L;
            };
            return Math.round(n * unit);
        }
        throw new IllegalArgumentException("'" + value + "' is not a size: write it like 256MB, 10GB or a number of bytes");
    }

    private static long count(String value) {
        try {
            return Long.parseLong(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a number of transaction ids, e.g. 10000000");
        }
    }

    private static boolean bool(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> throw new IllegalArgumentException("write true or false, not '" + value + "'");
        };
    }

    private static double fraction(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a fraction of the limit, e.g. 0.8");
        }
    }

    private static boolean none(String value) {
        return value.isEmpty() || value.equalsIgnoreCase("none");
    }

    private static URI url(String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + value + "' is not a URL: " + e.getReason());
        }
    }
}
