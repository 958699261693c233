package dev.tandem.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The output formats of {@code migrate plan}, by the name {@code --format} takes. */
public enum ReportFormat {
    /** For a terminal (the default). */
    TEXT("text"),
    /** The machine contract of DESIGN.md. */
    JSON("json"),
    /** A pull-request comment. */
    MARKDOWN("markdown"),
    /** SARIF 2.1.0, for code-scanning uploads. */
    SARIF("sarif");

    private final String id;

    ReportFormat(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** {@code "md"} is accepted for Markdown. */
    public static ReportFormat fromId(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("md")) return MARKDOWN;
        for (ReportFormat f : values()) {
            if (f.id.equals(s)) return f;
        }
        throw new IllegalArgumentException("unknown format '" + text + "': expected one of "
                + Arrays.stream(values()).map(ReportFormat::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id;
    }
}
