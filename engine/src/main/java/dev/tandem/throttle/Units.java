package dev.tandem.throttle;

import java.time.Duration;
import java.util.Locale;

/** Readings as a person reads them: "7.2 s", "256 MB" (powers of 1024, as pg_size_pretty). */
final class Units {
    private Units() {}

    static String duration(Duration d) {
        if (d.isNegative()) return "-" + duration(d.negated());
        long ms = d.toMillis();
        if (ms < 1000) return ms == 0 && !d.isZero() ? d.toNanos() + " ns" : ms + " ms";
        if (ms % 60_000 == 0 && ms >= 60_000) return ms / 60_000 + " min";
        return seconds(ms / 1000.0);
    }

    static String seconds(double s) {
        if (Double.isInfinite(s)) return "∞ s";
        if (s > 0 && s < 1) return String.format(Locale.ROOT, "%.0f ms", s * 1000);
        if (s >= 600) return String.format(Locale.ROOT, "%.0f min", s / 60);
        if (s >= 100) return String.format(Locale.ROOT, "%.0f s", s);
        if (s == Math.rint(s)) return String.format(Locale.ROOT, "%.0f s", s);
        return String.format(Locale.ROOT, "%.1f s", s);
    }

    static String bytes(double b) {
        String[] units = {"bytes", "kB", "MB", "GB", "TB"};
        int i = 0;
        while (Math.abs(b) >= 1024 && i < units.length - 1) {
            b /= 1024;
            i++;
        }
        if (i == 0 || b == Math.rint(b)) return String.format(Locale.ROOT, "%.0f %s", b, units[i]);
        return String.format(Locale.ROOT, "%.1f %s", b, units[i]);
    }

    static String count(double n) {
        return String.format(Locale.ROOT, "%,.0f", n);
    }
}
