package dev.tandem.report;

import dev.tandem.classify.ClassifiedSet;
import dev.tandem.classify.Classification;
import dev.tandem.classify.Finding;
import dev.tandem.classify.MigrationResult;
import dev.tandem.classify.StatementClass;
import dev.tandem.classify.StatementResult;
import dev.tandem.classify.TableLock;
import java.io.IOException;
import java.io.Writer;

/**
 * The terminal report: per migration a header line (version, script, class), per statement
 * {@code file:line  class  first line of SQL}, then its locks, rewrites, scans and findings with
 * their fixes, and a summary line with the statement count of every class.
 *
 * <p>Plain ASCII apart from the user's own SQL, so that it survives any terminal encoding. ANSI
 * colour only when the caller asks for it (the CLI does when stdout is a terminal and NO_COLOR is
 * not set).
 */
public final class TextRenderer implements ReportRenderer {
    /** Characters of SQL shown on a statement line; the JSON report has the full text. */
    static final int SQL_WIDTH = 80;
    private static final int CLASS_WIDTH = "expand-contract".length();

    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";
    private static final String DIM = "\u001b[2m";

    private final boolean colour;
    private final ScriptLocator locator;

    public TextRenderer(boolean colour, ScriptLocator locator) {
        this.colour = colour;
        this.locator = locator;
    }

    public TextRenderer(boolean colour) {
        this(colour, ScriptLocator.asGiven());
    }

    @Override
    public void render(ClassifiedSet set, Writer out) throws IOException {
        Summary summary = Summary.of(set);
        out.write(bold("Tandem plan") + " for PostgreSQL " + set.postgresVersion() + ": "
                + plural(summary.migrations(), "migration") + ", " + plural(summary.statements(), "statement") + "\n");
        for (MigrationResult m : set.migrations()) {
            out.write('\n');
            migration(m, out);
        }
        out.write('\n');
        out.write(summaryLine(summary));
        out.write('\n');
    }

    private void migration(MigrationResult m, Writer out) throws IOException {
        String version = m.migration().version() != null ? m.migration().version() : "repeatable";
        out.write(bold(version) + "  " + m.migration().script() + "  " + cls(m.statementClass(), false) + "\n");
        String path = locator.locate(m.migration());
        for (StatementResult s : m.statements()) {
            Classification c = s.classification();
            out.write("  " + path + ":" + s.statement().line() + "  " + cls(c.statementClass(), true) + "  "
                    + firstLine(s.statement().sql(), SQL_WIDTH) + "\n");
            for (TableLock l : c.locks()) {
                out.write(dim("      lock     ") + l.table() + " " + l.mode().pgName() + "\n");
            }
            for (String t : c.rewrites()) {
                out.write(dim("      rewrite  ") + t + "\n");
            }
            for (String t : c.scans()) {
                out.write(dim("      scan     ") + t + "\n");
            }
            for (Finding f : c.findings()) {
                out.write("      " + paint(f.severity(), "[" + f.rule() + "]") + " "
                        + indent(f.message(), "        ") + "\n");
                out.write("        " + bold("fix:") + " " + indent(f.fix(), "             ") + "\n");
            }
            if (!c.suppressed().isEmpty()) {
                out.write(dim("      suppressed: " + String.join(", ", c.suppressed())) + "\n");
            }
        }
    }

    private String summaryLine(Summary s) {
        StringBuilder sb = new StringBuilder(bold("Summary:")).append(' ')
                .append(plural(s.migrations(), "migration")).append(", ")
                .append(plural(s.statements(), "statement")).append(':');
        String sep = " ";
        for (StatementClass c : StatementClass.values()) {
            sb.append(sep).append(s.statements(c)).append(' ').append(cls(c, false));
            sep = ", ";
        }
        if (s.suppressed() > 0) sb.append(" (").append(plural(s.suppressed(), "finding")).append(" suppressed)");
        sb.append(". Verdict: ").append(cls(s.verdict(), false));
        return sb.toString();
    }

    /** The first line of {@code sql}, cut at {@code width} characters; "..." says something was left out. */
    static String firstLine(String sql, int width) {
        String s = sql.strip();
        int nl = s.indexOf('\n');
        boolean more = nl >= 0;
        String line = (more ? s.substring(0, nl) : s).stripTrailing().replace('\t', ' ');
        if (line.length() > width) {
            line = line.substring(0, width);
            more = true;
        }
        return more ? line + " ..." : line;
    }

    private static String indent(String text, String indent) {
        return text.strip().replace("\r\n", "\n").replace("\n", "\n" + indent);
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private String cls(StatementClass c, boolean pad) {
        String id = c.id();
        return pad ? paint(c, id) + " ".repeat(CLASS_WIDTH - id.length()) : paint(c, id);
    }

    private String paint(StatementClass c, String text) {
        if (!colour) return text;
        String code = switch (c) {
            case COMPATIBLE -> "\u001b[32m";        // green
            case ONLINE_REWRITE -> "\u001b[36m";    // cyan
            case EXPAND_CONTRACT -> "\u001b[33m";   // yellow
            case REVIEW -> "\u001b[35m";            // magenta
            case BLOCKING -> "\u001b[1;31m";        // bold red
        };
        return code + text + RESET;
    }

    private String bold(String text) {
        return colour ? BOLD + text + RESET : text;
    }

    private String dim(String text) {
        return colour ? DIM + text + RESET : text;
    }
}
