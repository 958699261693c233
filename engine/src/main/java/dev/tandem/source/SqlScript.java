package dev.tandem.source;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import dev.tandem.sql.RawStatement;
import dev.tandem.sql.SqlSplitter;
import dev.tandem.sql.SqlSyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The statements of one piece of SQL text (a Flyway script, a plain file, a Liquibase {@code <sql>}
 * body or {@code sqlFile}) with their Tandem directives.
 *
 * @param statements   in text order, lines relative to the file the text belongs to
 * @param ignoredRules rule ids of {@code -- migrate:ignore-file} directives anywhere between
 *                     statements, also after the last one
 */
public record SqlScript(List<Statement> statements, Set<String> ignoredRules) {

    /**
     * Appended to the text so that comments after the last statement reach the splitter as the
     * leading comments of a statement of their own ({@code -- migrate:ignore-file} at the end of a
     * file). The semicolon before it ends a last statement written without one, so the sentinel
     * never becomes part of a real statement; it is an identifier no PostgreSQL command starts with.
     */
    private static final String SENTINEL = "tandem_end_of_script";

    public SqlScript {
        statements = List.copyOf(statements);
        ignoredRules = Set.copyOf(ignoredRules);
    }

    /**
     * Splits {@code text} with {@link SqlSplitter} and reads the directives before each statement.
     *
     * @param file      the file for messages, as the user should see it ({@code V2__x.sql})
     * @param firstLine the line in {@code file} where {@code text} starts (1 for a whole file)
     * @throws TandemException {@link ErrorCode#SQL_SYNTAX} for text the splitter cannot cut
     *                         (unterminated quote, comment or COPY data) and
     *                         {@link ErrorCode#INVALID_ARGUMENT} for a malformed directive, both
     *                         with {@code file:line}
     */
    public static SqlScript parse(String text, String file, int firstLine) {
        String script = text.startsWith("\uFEFF") ? text.substring(1) : text; // BOM, as Flyway strips it
        int nul = script.indexOf('\0');
        if (nul >= 0) {
            // PostgreSQL refuses a NUL anywhere in a query ("invalid byte sequence for encoding
            // UTF8: 0x00"), and a text file holds none: this is most likely a binary file.
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < nul; i++) {
                if (script.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new TandemException(ErrorCode.SQL_SYNTAX, file + ":" + (firstLine + line - 1) + ":"
                    + (nul - lineStart + 1) + ": a NUL character, which PostgreSQL refuses in SQL text — is this"
                    + " a binary file? Save the script as plain UTF-8 text");
        }
        List<RawStatement> raw;
        try {
            raw = SqlSplitter.split(script + "\n;" + SENTINEL);
        } catch (SqlSyntaxException e) {
            throw new TandemException(ErrorCode.SQL_SYNTAX,
                    file + ":" + (firstLine + e.line() - 1) + ":" + e.column() + ": " + e.detail()
                            + " — the text cannot be split into statements until this is fixed", e);
        }
        List<Statement> statements = new ArrayList<>(raw.size());
        Set<String> fileIgnored = Set.of();
        int last = raw.size() - 1;
        for (int i = 0; i <= last; i++) {
            RawStatement r = raw.get(i);
            boolean sentinel = i == last && r.sql().equals(SENTINEL);
            Function<String, String> where = comment -> file + ":" + (firstLine - 1 + commentLine(script, comment, r.line()));
            Directives d = Directives.of(r.leadingComments(), where);
            if (!d.fileIgnoredRules().isEmpty()) {
                if (fileIgnored.isEmpty()) fileIgnored = new LinkedHashSet<>();
                fileIgnored.addAll(d.fileIgnoredRules());
            }
            if (sentinel) break;
            statements.add(new Statement(r.sql(), firstLine - 1 + r.line(), d.ignoredRules(), d.annotations()));
        }
        return new SqlScript(statements, fileIgnored);
    }

    /**
     * The 1-based line in {@code script} of the comment before the statement at
     * {@code statementLine}: the last line above it that contains the comment's first line. Only
     * used for error messages, where pointing at the directive itself helps.
     */
    static int commentLine(String script, String comment, int statementLine) {
        String needle = comment.strip().lines().findFirst().orElse("").strip();
        if (needle.isEmpty()) return statementLine;
        String[] lines = script.split("\n", -1);
        for (int i = Math.min(statementLine, lines.length) - 1; i >= 0; i--) {
            if (lines[i].contains(needle)) return i + 1;
        }
        return statementLine;
    }
}
