package dev.tandem.exec;

import dev.tandem.throttle.ThrottleFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings an operator may change while a backfill runs ({@code migrate backfill set
 * batch-size=5000 max-lag=10s}): the batch settings here, the rest by the throttle
 * ({@link dev.tandem.throttle.ThrottleFactory#with}). Validated where they are set, so that a
 * running backfill never meets a value it cannot take.
 */
public final class BackfillSettings {
    /** A fixed size ({@code batch-size=5000}) or back to adaptive ({@code batch-size=auto}). */
    public static final String BATCH_SIZE = "batch-size";
    public static final String MIN_BATCH = "min-batch";
    public static final String MAX_BATCH = "max-batch";
    public static final String TARGET_BATCH_TIME = "target-batch-time";
    public static final String BATCH_TIMEOUT = "batch-timeout";
    /** Rest after each batch, as a multiple of its duration ({@code nice-ratio=0.5}). */
    public static final String NICE_RATIO = "nice-ratio";
    static final Set<String> BATCH_NAMES = Set.of(BATCH_SIZE, MIN_BATCH, MAX_BATCH, TARGET_BATCH_TIME, BATCH_TIMEOUT, NICE_RATIO);

    private BackfillSettings() {}

    /** Every name {@code backfill set} takes with {@code base}'s throttle. */
    public static Set<String> names(BackfillOptions base) {
        Set<String> out = new TreeSet<>(BATCH_NAMES);
        out.addAll(base.throttle().settingNames());
        return out;
    }

    /**
     * {@code base} with {@code overrides} applied.
     *
     * @throws IllegalArgumentException for an unknown name or a bad value, naming it and what to write
     */
    public static BackfillOptions apply(BackfillOptions base, Map<String, String> overrides) {
        // every value first, then one BackfillOptions: its checks across values (the timeout
        // longer than the target, min below max) see the final combination, whatever the order
        Duration target = base.targetBatchTime();
        Duration timeout = base.batchTimeout();
        double nice = base.niceRatio();
        Map<String, String> rest = new LinkedHashMap<>();
        String fixed = null;
        Integer min = null;
        Integer max = null;
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String name = e.getKey();
            String value = e.getValue().trim();
            switch (name) {
                case BATCH_SIZE -> fixed = value;
                case MIN_BATCH -> min = rows(name, value);
                case MAX_BATCH -> max = rows(name, value);
                case TARGET_BATCH_TIME -> target = duration(name, value);
                case BATCH_TIMEOUT -> timeout = duration(name, value);
                case NICE_RATIO -> nice = ratio(name, value);
                default -> rest.put(name, value);
            }
        }
        int lo = min != null ? min : base.minBatch();
        int hi = max != null ? max : base.maxBatch();
        int initial = base.initialBatch();
        if (fixed != null && !fixed.toLowerCase(Locale.ROOT).equals("auto")) {
            lo = hi = initial = rows(BATCH_SIZE, fixed);
        } else if (fixed != null && !base.adaptive()) {
            // auto after a fixed size (--batch-size): the default range, from the size it had
            lo = min != null ? min : BackfillOptions.DEFAULTS.minBatch();
            hi = max != null ? max : BackfillOptions.DEFAULTS.maxBatch();
        }
        initial = Math.max(lo, Math.min(hi, initial));
        ThrottleFactory throttle = base.throttle();
        if (!rest.isEmpty()) {
            Set<String> known = throttle.settingNames();
            for (String name : rest.keySet()) {
                if (!known.contains(name)) {
                    throw new IllegalArgumentException("there is no backfill setting '" + name + "'; the settings are: "
                            + String.join(", ", names(base)));
                }
            }
            throttle = throttle.with(rest);
        }
        return new BackfillOptions(initial, lo, hi, target, timeout, nice, throttle);
    }

    private static int rows(String name, String value) {
        try {
            int n = Integer.parseInt(value.replace("_", "").replace(",", ""));
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // the message below says what to write
        }
        throw new IllegalArgumentException(name + "=" + value + ": write a number of rows, at least 1"
                + (name.equals(BATCH_SIZE) ? ", or auto" : ""));
    }

    private static double ratio(String name, String value) {
        try {
            double r = Double.parseDouble(value);
            if (r >= 0 && r <= 100) return r;
        } catch (NumberFormatException e) {
            // the message below says what to write
        }
        throw new IllegalArgumentException(name + "=" + value + ": write a multiple of the batch's duration between 0 and 100,"
                + " like 0.5");
    }

    private static Duration duration(String name, String value) {
        try {
            return DurationText.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + "=" + e.getMessage());
        }
    }
}
