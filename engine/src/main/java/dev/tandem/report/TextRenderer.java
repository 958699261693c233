package dev.tandem.report;

import dev.tandem.classify.ClassifiedSet;
import dev.tandem.classify.Classification;
import dev.tandem.classify.Finding;
import dev.tandem.classify.MigrationResult;
import dev.tandem.classify.StatementClass;
import dev.tandem.classify.StatementResult;
import dev.tandem.classify.TableLock;
import dev.tandem.plan.BackfillStep;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PhasePlan;
import dev.tandem.plan.ReleasePlan;
import dev.tandem.plan.SqlStep;
import dev.tandem.plan.Step;
import dev.tandem.plan.Unplanned;
import java.io.IOException;
import java.io.Writer;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The terminal report: per migration a header line (version, script, class), per statement
 * {@code file:line  class  first line of SQL}, then its locks, rewrites, scans and findings with
 * their fixes; then the release plan, if there is one: every phase with its numbered steps (the
 * SQL in full, how it runs, the locks it waits for, how it is undone), the deploy line between
 * backfill and contract, and the statements the plan does not carry out with what to do instead;
 * last a summary line with the statement count of every class.
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

    /** The line where the deploy happens; {@code ===} so that it stands out in a CI log without colour. */
    static final String DEPLOY_LINE = "======== DEPLOY the new application version here;"
            + " contract runs after the old version is gone ========";

    /** Indent of a step's detail lines. */
    private static final String DETAIL = "       ";
    /** What a phase means, beside its name. */
    private static final Map<Phase, String> PHASE_MEANING = Map.of(
            Phase.EXPAND, "before the deploy: both application versions keep working",
            Phase.BACKFILL, "batched data changes: both application versions still run",
            Phase.CONTRACT, "after the deploy, once the old application version is gone");

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
    public void render(ClassifiedSet set, ReleasePlan plan, Writer out) throws IOException {
        Summary summary = Summary.of(set);
        out.write(bold("Tandem plan") + " for PostgreSQL " + set.postgresVersion() + ": "
                + plural(summary.migrations(), "migration") + ", " + plural(summary.statements(), "statement") + "\n");
        for (MigrationResult m : set.migrations()) {
            out.write('\n');
            migration(m, out);
        }
        if (plan != null) {
            out.write('\n');
            release(plan, new StepLocator(set, locator), out);
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
            if (s.traced()) {
                out.write(dim("      traced   ") + (s.trace().error() != null ? "failed on the scratch database: "
                        + s.trace().error() : s.trace().how().equals("ran-for-real") ? "ran for real (locks as documented)"
                        : "in a rolled-back transaction; what follows is what PostgreSQL did") + "\n");
            }
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

    private void release(ReleasePlan plan, StepLocator where, Writer out) throws IOException {
        StringBuilder head = new StringBuilder(bold("Release plan:")).append(' ');
        String sep = "";
        for (PhasePlan p : plan.phases()) {
            head.append(sep).append(p.steps().size()).append(' ').append(p.phase().id());
            sep = ", ";
        }
        head.append(" steps");
        if (plan.executable()) {
            head.append("; every statement is planned");
        } else {
            head.append("; ").append(plural(plan.unplanned().size(), "statement")).append(" not planned: ")
                    .append(red("the release cannot run until " + (plan.unplanned().size() == 1 ? "it is" : "they are")
                            + " resolved"));
        }
        out.write(head + "\n");
        long oneWay = irreversibleBeforeContract(plan);
        if (oneWay > 0) {
            out.write(red("Note:") + " " + plural((int) oneWay, "step") + " before the deploy cannot be undone (marked"
                    + " irreversible below): once " + (oneWay == 1 ? "it has" : "they have") + " run, rolling the release"
                    + " back leaves " + (oneWay == 1 ? "its" : "their") + " effect in place\n");
        }
        for (PhasePlan p : plan.phases()) {
            if (p.phase() == Phase.CONTRACT) {
                out.write('\n');
                out.write(yellow(DEPLOY_LINE) + "\n");
            }
            out.write('\n');
            out.write(bold(p.phase().id().toUpperCase(Locale.ROOT)) + "  " + dim(PHASE_MEANING.get(p.phase())) + "\n");
            if (p.steps().isEmpty()) out.write("  (nothing)\n");
            int n = 0;
            for (Step step : p.steps()) {
                n++;
                switch (step) {
                    case SqlStep s -> sqlStep(n, s, where, out);
                    case BackfillStep b -> backfillStep(n, b, where, out);
                }
            }
        }
        if (!plan.unplanned().isEmpty()) {
            out.write('\n');
            out.write(bold("Not planned") + "  " + dim("nothing of these statements runs; resolve each one") + "\n");
            for (Unplanned u : plan.unplanned()) {
                out.write("  " + where.locate(u.migration(), u.line()) + "  " + red(u.reason().id()) + "  "
                        + firstLine(u.sql(), SQL_WIDTH) + "\n");
                out.write("      " + indent(u.message(), "      ") + "\n");
                out.write("      " + bold("instead:") + " " + indent(u.instead(), "               ") + "\n");
            }
        }
    }

    /** Expand and backfill steps that cannot be undone ({@link ReleasePlan#reversibleBeforeContract()} is false). */
    static long irreversibleBeforeContract(ReleasePlan plan) {
        return Stream.concat(plan.steps(Phase.EXPAND).stream(), plan.steps(Phase.BACKFILL).stream())
                .filter(st -> !st.reversible()).count();
    }

    private void sqlStep(int n, SqlStep s, StepLocator where, Writer out) throws IOException {
        out.write(stepHead(n, where.locate(s.migration(), s.line()), s.purpose(), s.destructive()));
        out.write(DETAIL + "  " + indent(s.sql(), DETAIL + "  ") + "\n");
        if (!s.transactional()) {
            out.write(DETAIL + cyan("no transaction") + dim(" (autocommit; safe to run again after an interruption)")
                    + "\n");
        }
        for (TableLock l : s.locks()) {
            out.write(DETAIL + dim("lock      ") + l.table() + " " + l.mode().pgName() + "\n");
        }
        if (s.onlyIf() != null) {
            out.write(DETAIL + dim("only if   ") + indent(s.onlyIf(), DETAIL + "          ") + dim("  (returns a row)")
                    + "\n");
        }
        if (s.cleanup() != null) {
            out.write(DETAIL + dim("cleanup   ") + indent(s.cleanup().sql(), DETAIL + "          ") + "\n");
            out.write(DETAIL + dim("  when    ") + indent(s.cleanup().when(), DETAIL + "          ") + "\n");
        }
        undo(s.rollback(), s.irreversible(), out);
    }

    private void backfillStep(int n, BackfillStep b, StepLocator where, Writer out) throws IOException {
        out.write(stepHead(n, where.locate(b.migration(), b.line()), b.purpose(), false));
        String what = switch (b.operation()) {
            case UPDATE -> "UPDATE " + b.table() + " SET " + b.set();
            case DELETE -> "DELETE FROM " + b.table();
        };
        if (b.where() != null) what += " WHERE " + b.where();
        out.write(DETAIL + "  " + indent(what, DETAIL + "  ") + "\n");
        out.write(DETAIL + cyan("in batches") + " by (" + String.join(", ", b.key())
                + ")" + dim(", each in a short transaction of its own; resumable") + "\n");
        undo(null, b.irreversible(), out);
    }

    private String stepHead(int n, String location, String purpose, boolean destructive) {
        return "  " + bold(n + ".") + " " + location + "  " + (destructive ? red("DESTRUCTIVE") + " " : "")
                + indent(purpose, DETAIL) + "\n";
    }

    private void undo(String rollback, String irreversible, Writer out) throws IOException {
        if (rollback != null) {
            out.write(DETAIL + dim("rollback  ") + indent(rollback, DETAIL + "          ") + "\n");
        } else if (irreversible != null) {
            out.write(DETAIL + red("irreversible:") + " " + indent(irreversible, DETAIL + "  ") + "\n");
        } else {
            out.write(DETAIL + dim("rollback  nothing to undo") + "\n");
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

    private String red(String text) {
        return colour ? "\u001b[1;31m" + text + RESET : text;
    }

    private String yellow(String text) {
        return colour ? "\u001b[1;33m" + text + RESET : text;
    }

    private String cyan(String text) {
        return colour ? "\u001b[36m" + text + RESET : text;
    }

    private String dim(String text) {
        return colour ? DIM + text + RESET : text;
    }
}
