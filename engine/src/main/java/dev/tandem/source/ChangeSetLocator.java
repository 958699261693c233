package dev.tandem.source;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the line of each changeSet in the text of the changelog file that defines it. Liquibase
 * keeps no line numbers for parsed changeSets, so the file is searched: for the next changeSet
 * start ({@code <changeSet}, {@code changeSet:}, {@code "changeSet":}, {@code --changeset}) after
 * the previous changeSet found in the same file whose block holds the id ({@code id="x"},
 * {@code id: x}, {@code "id": "x"}, {@code --changeset author:x}). The answer is the line of the
 * id. Asked in document order (the order Liquibase lists a file's changeSets), two changeSets with
 * one id (by different authors) get their own lines.
 *
 * <p>Not thread-safe: one instance per file and run.
 */
final class ChangeSetLocator {
    enum Format { XML, YAML, JSON, SQL }

    private static final Pattern XML_START = Pattern.compile("<(?:[\\w.-]+:)?changeSet\\b");
    private static final Pattern YAML_START = Pattern.compile("(?m)^[ \\t-]*changeSet\\s*:");
    private static final Pattern JSON_START = Pattern.compile("\"changeSet\"\\s*:");
    private static final Pattern SQL_START = Pattern.compile("(?im)^[ \\t]*--[ \\t]*changeset\\b");

    private final String text;
    private final Format format;
    private final int[] lineStarts;
    private int cursor;

    ChangeSetLocator(String text, Format format) {
        this.text = text;
        this.format = format;
        int lines = 1;
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') lines++;
        lineStarts = new int[lines];
        int l = 1;
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') lineStarts[l++] = i + 1;
    }

    static Format formatOf(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".yaml") || n.endsWith(".yml")) return Format.YAML;
        if (n.endsWith(".json")) return Format.JSON;
        if (n.endsWith(".sql")) return Format.SQL;
        return Format.XML;
    }

    /** The 1-based line of the changeSet, or 0 when the file shows no such changeSet. */
    int lineOf(String author, String id) {
        Pattern start = switch (format) {
            case XML -> XML_START;
            case YAML -> YAML_START;
            case JSON -> JSON_START;
            case SQL -> SQL_START;
        };
        Pattern idPattern = idPattern(author, id);
        Matcher m = start.matcher(text);
        int from = cursor;
        int fallback = -1;
        while (from <= text.length() && m.find(from)) {
            int blockStart = m.start();
            int blockEnd = m.find(m.end()) ? m.start() : text.length();
            if (fallback < 0) fallback = blockStart;
            Matcher idm = idPattern.matcher(text).region(blockStart, blockEnd);
            if (idm.find()) {
                cursor = blockEnd;
                return lineAt(idm.start());
            }
            from = blockEnd;
            if (blockEnd >= text.length()) break;
        }
        // An id written with a ${property} the parser expanded: the next changeSet start.
        if (fallback >= 0) {
            cursor = fallback + 1;
            return lineAt(fallback);
        }
        return 0;
    }

    private Pattern idPattern(String author, String id) {
        String q = Pattern.quote(id);
        return switch (format) {
            case XML -> Pattern.compile("\\bid\\s*=\\s*([\"'])" + q + "\\1");
            case YAML -> Pattern.compile("(?m)(?:^|[\\s{,-])id\\s*:\\s*([\"']?)" + q + "\\1\\s*(?:$|[,}#])");
            case JSON -> Pattern.compile("\"id\"\\s*:\\s*\"" + q + "\"");
            // --changeset author:id attributes…; the author may be quoted and contain spaces.
            case SQL -> Pattern.compile("(?i)changeset\\s+(\"?)" + Pattern.quote(author) + "\\1\\s*:\\s*(\"?)" + q
                    + "\\2(?=\\s|$)");
        };
    }

    private int lineAt(int offset) {
        int lo = 0;
        int hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= offset) lo = mid;
            else hi = mid - 1;
        }
        return lo + 1;
    }

    /** The first line at or after {@code line} that is not blank (for formatted SQL bodies). */
    int firstNonBlankFrom(int line) {
        for (int l = Math.max(1, line); l <= lineStarts.length; l++) {
            int s = lineStarts[l - 1];
            int e = l < lineStarts.length ? lineStarts[l] : text.length();
            if (!text.substring(s, e).isBlank()) return l;
        }
        return line;
    }
}
