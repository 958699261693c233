package dev.tandem.report;

import dev.tandem.classify.Classification;
import dev.tandem.classify.ClassifiedSet;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A pull-request comment: a title with the overall verdict, a table of the migrations that need
 * attention (compatible ones collapsed in a {@code <details>}), the release plan if there is one
 * (per phase its steps with SQL, locks and how each is undone, the deploy point between backfill
 * and contract, the statements not planned with why and what to do instead; the guards
 * {@code onlyIf} and {@code cleanup} are left to the text and JSON reports), then per flagged
 * migration its flagged statements with SQL, locks and findings with their fixes.
 *
 * <p>GitHub rejects comments over 65,536 characters, so the output is cut at a budget (60,000 by
 * default) at a statement boundary, with a note saying how much was left out.
 */
public final class MarkdownRenderer implements ReportRenderer {
    public static final int DEFAULT_MAX_CHARS = 60_000;
    /** Lines of one statement's SQL shown in its code block. */
    static final int MAX_SQL_LINES = 30;
    /** SQL of a step longer than this (lines or characters) is collapsed in a {@code <details>}. */
    static final int COLLAPSE_LINES = 3;
    static final int COLLAPSE_CHARS = 300;
    /** The deploy point, as a quote so that it stands out between the phases. */
    static final String DEPLOY_LINE = "> 🚀 **Deploy the new application version here.** Contract runs only once the old "
            + "version is gone.";
    /** What a phase means, beside its heading. */
    private static final Map<Phase, String> PHASE_MEANING = Map.of(
            Phase.EXPAND, "before the deploy; both application versions keep working",
            Phase.BACKFILL, "batched data changes; both application versions still run",
            Phase.CONTRACT, "after the deploy, once the old application version is gone");

    /** Room kept for the truncation note and the footer. */
    private static final int RESERVE = 600;

    private final ScriptLocator locator;
    private final int maxChars;

    public MarkdownRenderer(ScriptLocator locator, int maxChars) {
        if (maxChars < 2 * RESERVE) throw new IllegalArgumentException("maxChars too small: " + maxChars);
        this.locator = locator;
        this.maxChars = maxChars;
    }

    public MarkdownRenderer(ScriptLocator locator) {
        this(locator, DEFAULT_MAX_CHARS);
    }

    public MarkdownRenderer() {
        this(ScriptLocator.asGiven());
    }

    /** The badge shown beside a class. */
    static String emoji(StatementClass c) {
        return switch (c) {
            case COMPATIBLE -> "✅";
            case ONLINE_REWRITE -> "🔄";
            case EXPAND_CONTRACT -> "🔀";
            case REVIEW -> "👀";
            case BLOCKING -> "⛔";
        };
    }

    static String badge(StatementClass c) {
        return emoji(c) + " " + c.id();
    }

    @Override
    public void render(ClassifiedSet set, ReleasePlan plan, Writer out) throws IOException {
        Summary summary = Summary.of(set);
        int budget = maxChars - RESERVE;
        StringBuilder md = new StringBuilder(Math.min(maxChars, 16_384));

        md.append("## ").append(emoji(summary.verdict())).append(" Tandem migration plan: ")
                .append(summary.verdict().id()).append("\n\n");
        md.append(verdictSentence(summary)).append("\n\n");
        md.append("PostgreSQL ").append(set.postgresVersion()).append(" · ")
                .append(plural(summary.migrations(), "migration")).append(" · ")
                .append(plural(summary.statements(), "statement")).append(": ");
        md.append(Arrays.stream(StatementClass.values())
                .filter(c -> summary.statements(c) > 0)
                .map(c -> summary.statements(c) + " " + c.id())
                .collect(Collectors.joining(" · ")));
        if (summary.statements() == 0) md.append("nothing to run");
        if (summary.suppressed() > 0) md.append(" (").append(plural(summary.suppressed(), "finding")).append(" suppressed)");
        md.append("\n\n");

        List<MigrationResult> flagged = new ArrayList<>();
        List<MigrationResult> compatible = new ArrayList<>();
        for (MigrationResult m : set.migrations()) {
            (m.statementClass() == StatementClass.COMPATIBLE ? compatible : flagged).add(m);
        }

        // The tables may take at most half of the budget; the details matter more.
        int tableBudget = budget / 2;
        if (!flagged.isEmpty()) {
            md.append("| Migration | Script | Class | Flagged statements |\n|---|---|---|---|\n");
            for (int i = 0; i < flagged.size(); i++) {
                MigrationResult m = flagged.get(i);
                if (md.length() > tableBudget) {
                    md.append("| … | ").append(flagged.size() - i).append(" more | | |\n");
                    break;
                }
                long n = m.statements().stream().filter(MarkdownRenderer::isFlagged).count();
                md.append("| ").append(code(version(m))).append(" | ").append(code(m.migration().script()))
                        .append(" | ").append(badge(m.statementClass())).append(" | ").append(n).append(" |\n");
            }
            md.append('\n');
        }
        if (!compatible.isEmpty()) {
            md.append("<details><summary>").append(emoji(StatementClass.COMPATIBLE)).append(' ')
                    .append(plural(compatible.size(), "compatible migration")).append("</summary>\n\n")
                    .append("| Migration | Script | Statements |\n|---|---|---|\n");
            for (int i = 0; i < compatible.size(); i++) {
                MigrationResult m = compatible.get(i);
                if (md.length() > tableBudget) {
                    md.append("| … | ").append(compatible.size() - i).append(" more | |\n");
                    break;
                }
                md.append("| ").append(code(version(m))).append(" | ").append(code(m.migration().script()))
                        .append(" | ").append(m.statements().size()).append(" |\n");
            }
            md.append("\n</details>\n\n");
        }

        // The plan may take two thirds of what is left; the statements' details come after it.
        // Steps are located by script, as in the table above: the comment stays short.
        if (plan != null) {
            release(plan, new StepLocator(set, ScriptLocator.asGiven()), md, md.length() + (budget - md.length()) * 2 / 3);
        }

        int omittedStatements = 0;
        int omittedMigrations = 0;
        for (MigrationResult m : flagged) {
            if (omittedStatements > 0) {
                omittedMigrations++;
                omittedStatements += (int) m.statements().stream().filter(MarkdownRenderer::isFlagged).count();
                continue;
            }
            String header = "### " + emoji(m.statementClass()) + " " + code(version(m)) + " "
                    + code(m.migration().script()) + " — " + m.statementClass().id() + "\n\n";
            boolean headerWritten = false;
            String path = locator.locate(m.migration());
            List<StatementResult> statements = m.statements().stream().filter(MarkdownRenderer::isFlagged).toList();
            for (int i = 0; i < statements.size(); i++) {
                String section = statement(path, statements.get(i));
                int needed = section.length() + (headerWritten ? 0 : header.length());
                if (md.length() + needed > budget) {
                    omittedStatements += statements.size() - i;
                    if (!headerWritten) omittedMigrations++;
                    break;
                }
                if (!headerWritten) {
                    md.append(header);
                    headerWritten = true;
                }
                md.append(section);
            }
        }
        if (omittedStatements > 0) {
            md.append("> ✂️ Cut to fit a pull-request comment: ").append(plural(omittedStatements, "flagged statement"));
            if (omittedMigrations > 0) md.append(" (").append(omittedMigrations).append(" more migrations)");
            md.append(" not shown. Run `migrate plan` (text) or `migrate plan --format json` for the full report.\n\n");
        }
        md.append("<sub>Generated by Tandem <code>migrate plan</code>. Classes: compatible &lt; online-rewrite &lt; "
                + "expand-contract &lt; review &lt; blocking.</sub>\n");
        out.append(md);
    }

    private static void release(ReleasePlan plan, StepLocator where, StringBuilder md, int budget) {
        md.append("### 🗺️ Release plan\n\n");
        StringBuilder line = new StringBuilder();
        for (PhasePlan p : plan.phases()) {
            if (p.phase() == Phase.CONTRACT) line.append(" → 🚀 deploy");
            if (p.phase() != Phase.EXPAND) line.append(" → ");
            line.append("**").append(p.steps().size()).append("** ").append(p.phase().id());
        }
        line.append(" steps");
        if (plan.executable()) {
            line.append(" · every statement is planned.");
        } else {
            int n = plan.unplanned().size();
            line.append(" · ⛔ ").append(plural(n, "statement")).append(" not planned: the release cannot run until ")
                    .append(n == 1 ? "it is" : "they are").append(" resolved.");
        }
        long oneWay = TextRenderer.irreversibleBeforeContract(plan);
        if (oneWay > 0) {
            line.append("\n\n⚠️ ").append(plural((int) oneWay, "step")).append(" before the deploy cannot be undone: once ")
                    .append(oneWay == 1 ? "it has" : "they have").append(" run, rolling the release back leaves ")
                    .append(oneWay == 1 ? "its" : "their").append(" effect in place.");
        }
        md.append(line).append("\n\n");
        boolean cut = false;
        for (PhasePlan p : plan.phases()) {
            if (p.phase() == Phase.CONTRACT) md.append(DEPLOY_LINE).append("\n\n");
            md.append("#### ").append(p.phase().ordinal() + 1).append(" · ").append(capitalised(p.phase().id()))
                    .append(" — ").append(PHASE_MEANING.get(p.phase())).append("\n\n");
            if (p.steps().isEmpty()) md.append("_nothing_\n\n");
            int n = 0;
            int omitted = 0;
            for (Step step : p.steps()) {
                n++;
                String section = switch (step) {
                    case SqlStep s -> sqlStep(n, s, where);
                    case BackfillStep b -> backfillStep(n, b, where);
                };
                cut = cut || md.length() + section.length() > budget;
                if (cut) {
                    omitted++;
                } else {
                    md.append(section);
                }
            }
            if (omitted > 0) {
                md.append("- ✂️ ").append(plural(omitted, "more step")).append(" not shown: `migrate plan` (text) or "
                        + "`migrate plan --format json` has them all.\n");
            }
            if (!p.steps().isEmpty()) md.append('\n');
        }
        if (!plan.unplanned().isEmpty()) {
            md.append("#### ⛔ Not planned — nothing of these statements runs\n\n");
            int omitted = 0;
            for (Unplanned u : plan.unplanned()) {
                String item = "- " + code(where.locate(u.migration(), u.line())) + " **" + u.reason().id() + "** "
                        + code(TextRenderer.firstLine(u.sql(), TextRenderer.SQL_WIDTH)) + " — " + oneParagraph(u.message())
                        + "\\\n  **Instead:** " + oneParagraph(u.instead()) + "\n";
                cut = cut || md.length() + item.length() > budget;
                if (cut) {
                    omitted++;
                } else {
                    md.append(item);
                }
            }
            if (omitted > 0) {
                md.append("- ✂️ ").append(plural(omitted, "more statement")).append(" not shown.\n");
            }
            md.append('\n');
        }
    }

    private static String sqlStep(int n, SqlStep s, StepLocator where) {
        StringBuilder sb = new StringBuilder();
        sb.append(stepHead(n, where.locate(s.migration(), s.line()), s.purpose(), s.destructive()));
        List<String> facts = new ArrayList<>();
        if (!s.locks().isEmpty()) {
            facts.add("Locks: " + s.locks().stream().map((TableLock l) -> code(l.table()) + " " + l.mode().pgName())
                    .collect(Collectors.joining(", ")));
        }
        if (!s.transactional()) facts.add("no transaction (autocommit, safe to re-run)");
        facts.add(undo(s.rollback(), s.irreversible()));
        sb.append("  ").append(String.join(" · ", facts)).append('\n');
        sqlBlock(s.sql(), sb);
        return sb.toString();
    }

    private static String backfillStep(int n, BackfillStep b, StepLocator where) {
        StringBuilder sb = new StringBuilder();
        sb.append(stepHead(n, where.locate(b.migration(), b.line()), b.purpose(), false));
        sb.append("  In batches by (").append(b.key().stream().map(MarkdownRenderer::code).collect(Collectors.joining(", ")))
                .append("), each in a short transaction of its own · ").append(undo(null, b.irreversible())).append('\n');
        String what = switch (b.operation()) {
            case UPDATE -> "UPDATE " + b.table() + " SET " + b.set();
            case DELETE -> "DELETE FROM " + b.table();
        };
        if (b.where() != null) what += "\nWHERE " + b.where();
        sqlBlock(what, sb);
        return sb.toString();
    }

    private static String stepHead(int n, String location, String purpose, boolean destructive) {
        return "- **" + n + ".** " + (destructive ? "⚠️ **DESTRUCTIVE** " : "") + code(location) + " "
                + oneParagraph(purpose) + "\\\n";
    }

    private static String undo(String rollback, String irreversible) {
        if (rollback != null) return "Rollback: " + code(rollback);
        if (irreversible != null) return "**Irreversible:** " + oneParagraph(irreversible);
        return "Rollback: nothing to undo";
    }

    /**
     * A step's SQL inside its list item. SQL of more than {@link #COLLAPSE_LINES} lines or
     * {@link #COLLAPSE_CHARS} characters is collapsed under its first line, so that a release of
     * many CREATE TABLEs stays readable as a comment.
     */
    private static void sqlBlock(String sql, StringBuilder sb) {
        String body = sql.strip();
        String fence = fence(body);
        List<String> lines = body.lines().toList();
        boolean collapse = lines.size() > COLLAPSE_LINES || body.length() > COLLAPSE_CHARS;
        if (collapse) {
            sb.append("  <details><summary><code>").append(escapeHtml(TextRenderer.firstLine(body, 60)
                    .replace("&", "&amp;"))).append("</code> (").append(plural(lines.size(), "line"))
                    .append(")</summary>\n\n");
        }
        sb.append("  ").append(fence).append("sql\n");
        lines.forEach(l -> sb.append("  ").append(l).append('\n'));
        sb.append("  ").append(fence).append('\n');
        if (collapse) sb.append("\n  </details>\n");
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String verdictSentence(Summary s) {
        StatementClass v = s.verdict();
        int n = s.statements(v);
        return switch (v) {
            case COMPATIBLE -> "**Safe to ship:** every statement is compatible with the application version that is running.";
            case ONLINE_REWRITE -> "**Safe to ship:** Tandem runs " + plural(n, "statement")
                    + " in an equivalent online form (CONCURRENTLY, NOT VALID + VALIDATE, batched backfill).";
            case EXPAND_CONTRACT -> "**Safe to ship with Tandem:** " + plural(n, "statement") + (n == 1 ? " breaks" : " break")
                    + " the running application as written; Tandem splits " + (n == 1 ? "it" : "them")
                    + " into expand, backfill and contract around the deploy.";
            case REVIEW -> "**Needs a human:** " + plural(n, "statement") + (n == 1 ? " was" : " were")
                    + " not understood statically; review " + (n == 1 ? "it" : "them") + " or trace the plan.";
            case BLOCKING -> "**Not safe as written:** " + plural(n, "statement") + (n == 1 ? " has" : " have")
                    + " no online form and would block traffic.";
        };
    }

    private static String statement(String path, StatementResult s) {
        Classification c = s.classification();
        StringBuilder sb = new StringBuilder();
        sb.append(code(path + ":" + s.statement().line())).append(" · ").append(badge(c.statementClass())).append("\n\n");
        String sql = s.statement().sql().strip();
        String[] lines = sql.split("\r?\n", -1);
        if (lines.length > MAX_SQL_LINES) {
            sql = String.join("\n", Arrays.asList(lines).subList(0, MAX_SQL_LINES))
                    + "\n-- … " + (lines.length - MAX_SQL_LINES) + " more lines";
        }
        String fence = fence(sql);
        sb.append(fence).append("sql\n").append(sql).append('\n').append(fence).append("\n\n");
        if (!c.locks().isEmpty()) {
            sb.append("- **Locks:** ").append(c.locks().stream()
                    .map((TableLock l) -> code(l.table()) + " " + l.mode().pgName())
                    .collect(Collectors.joining(", "))).append('\n');
        }
        if (!c.rewrites().isEmpty()) {
            sb.append("- **Rewrites:** ").append(c.rewrites().stream().map(MarkdownRenderer::code)
                    .collect(Collectors.joining(", "))).append('\n');
        }
        if (!c.scans().isEmpty()) {
            sb.append("- **Scans:** ").append(c.scans().stream().map(MarkdownRenderer::code)
                    .collect(Collectors.joining(", "))).append('\n');
        }
        for (Finding f : c.findings()) {
            // A compatible finding is advice: a bulb rather than a tick beside it.
            String mark = f.severity() == StatementClass.COMPATIBLE ? "💡" : emoji(f.severity());
            sb.append("- ").append(mark).append(" **").append(code(f.rule())).append("** ")
                    .append(oneParagraph(f.message())).append("\\\n");
            fix(f.fix(), sb);
        }
        if (!c.suppressed().isEmpty()) {
            sb.append("- Suppressed: ").append(c.suppressed().stream().map(MarkdownRenderer::code)
                    .collect(Collectors.joining(", "))).append('\n');
        }
        sb.append('\n');
        return sb.toString();
    }

    /**
     * The fix inside the finding's list item. Rules write SQL steps on lines of their own, indented
     * (see the rules' fix texts); those become an SQL code block, the other lines prose.
     */
    private static void fix(String fix, StringBuilder sb) {
        String[] lines = fix.strip().split("\\R");
        List<String> code = new ArrayList<>();
        sb.append("  **Fix:** ").append(escapeHtml(lines[0].strip())).append('\n');
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (!line.isBlank() && Character.isWhitespace(line.charAt(0))) {
                code.add(line.strip());
                continue;
            }
            codeBlock(code, sb);
            if (!line.isBlank()) sb.append("  ").append(escapeHtml(line.strip())).append('\n');
        }
        codeBlock(code, sb);
    }

    private static void codeBlock(List<String> code, StringBuilder sb) {
        if (code.isEmpty()) return;
        String body = String.join("\n", code);
        String fence = fence(body);
        sb.append("  ").append(fence).append("sql\n");
        for (String c : code) sb.append("  ").append(c).append('\n');
        sb.append("  ").append(fence).append('\n');
        code.clear();
    }

    private static String escapeHtml(String text) {
        return text.replace("<", "&lt;");
    }

    /** A statement worth showing in the comment: not compatible, or with advice. */
    private static boolean isFlagged(StatementResult s) {
        return s.classification().statementClass() != StatementClass.COMPATIBLE
                || !s.classification().findings().isEmpty();
    }

    private static String version(MigrationResult m) {
        return m.migration().version() != null ? m.migration().version() : "repeatable";
    }

    /** A code span that survives backticks in the text and pipes inside a table cell. */
    static String code(String text) {
        String t = text.replace("\r", "").replace('\n', ' ').replace("|", "\\|");
        if (!t.contains("`")) return "`" + t + "`";
        return "`` " + t + " ``";
    }

    /** A fence longer than any run of backticks in the code. */
    private static String fence(String code) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < code.length(); i++) {
            run = code.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return "`".repeat(Math.max(3, longest + 1));
    }

    /** Message text kept inside one list item: line breaks become spaces. */
    private static String oneParagraph(String text) {
        return escapeHtml(text.strip().replaceAll("\\s*\\R\\s*", " "));
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
