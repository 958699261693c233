package dev.tandem.classify;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;

/**
 * The PostgreSQL major version the migrations will run on. Rules use it for behaviour that
 * changed between versions (fast defaults 11, SET NOT NULL via a validated CHECK 12, REINDEX
 * CONCURRENTLY 12, DETACH … CONCURRENTLY 14, VIRTUAL generated columns 18, …).
 */
public record PgVersion(int major) {
    public static final int MIN = 12;
    public static final int MAX = 18;
    public static final PgVersion DEFAULT = new PgVersion(16);

    public PgVersion {
        if (major < MIN || major > MAX) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT,
                    "PostgreSQL version " + major + " is not supported: use --pg-version with a major version from "
                            + MIN + " to " + MAX);
        }
    }

    /** Parses {@code "15"}, {@code "15.4"} or {@code "PostgreSQL 15.4"}; the major version decides. */
    public static PgVersion parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.regionMatches(true, 0, "postgresql", 0, 10)) s = s.substring(10).trim();
        String major = s.contains(".") ? s.substring(0, s.indexOf('.')) : s;
        try {
            return new PgVersion(Integer.parseInt(major));
        } catch (NumberFormatException e) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT,
                    "'" + text + "' is not a PostgreSQL version: use --pg-version with a major version from "
                            + MIN + " to " + MAX + ", e.g. --pg-version 16");
        }
    }

    public boolean atLeast(int version) {
        return major >= version;
    }

    @Override
    public String toString() {
        return Integer.toString(major);
    }
}
