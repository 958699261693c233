package dev.tandem.report;

import dev.tandem.classify.Classification;
import dev.tandem.classify.ClassifiedSet;
import dev.tandem.classify.Finding;
import dev.tandem.classify.MigrationResult;
import dev.tandem.classify.StatementClass;
import dev.tandem.classify.StatementResult;
import dev.tandem.classify.TableLock;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A pull-request comment: a title with the overall verdict, a table of the migrations that need
 * attention (compatible ones collapsed in a {@code <details>}), then per such migration its flagged
 * statements with SQL, locks and findings with their fixes.
 *
 * <p>GitHub rejects comments over 65,536 characters, so the output is cut at a budget (60,000 by
 * default) at a statement boundary, with a note saying how much was left out.
 */
public final class MarkdownRenderer implements ReportRenderer {
    public static final int DEFAULT_MAX_CHARS = 60_000;
    /** Lines of one statement's SQL shown in its code block. */
    static final int MAX_SQL_LINES = 30;
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
    public void render(ClassifiedSet set, Writer out) throws IOException {
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
