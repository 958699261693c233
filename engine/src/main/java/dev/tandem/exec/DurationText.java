package dev.tandem.exec;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them, on the command line and in {@code migrate backfill set}:
 * {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 10m}, {@code 1h}, or ISO-8601 ({@code PT2S}). A
 * bare number is refused: seconds or milliseconds would be a guess.
 */
public final class DurationText {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

    private DurationText() {}

    /** @throws IllegalArgumentException naming the value and how to write it */
    public static Duration parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(v);
        if (m.matches()) {
            double n = Double.parseDouble(m.group(1));
            double millis = switch (m.group(2)) {
                case "ms" -> n;
                case "s" -> n * 1_000;
                case "m" -> n * 60_000;
                default -> n * 3_600_000;
            };
            return Duration.ofMillis(Math.round(millis));
        }
        if (v.startsWith("pt")) {
            try {
                return Duration.parse(value.trim());
            } catch (DateTimeParseException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not a duration: write it like 500ms, 2s, 1.5s, 10m or 1h");
    }

    /** As the user would write it back: {@code 2s}, {@code 500ms}, {@code 10m}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) return ms / 3_600_000 + "h";
        if (ms % 60_000 == 0 && ms > 0) return ms / 60_000 + "m";
        if (ms % 1_000 == 0) return ms / 1_000 + "s";
        return ms + "ms";
    }
}
