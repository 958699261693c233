package dev.tandem.sql;

import dev.tandem.sql.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a PostgreSQL script into statements the way psql and Flyway's PostgreSQL parser do:
 * semicolons inside single quotes, {@code E''} strings (backslash escapes), quoted identifiers,
 * dollar quotes with or without tags ({@code $fn$ … $fn$}), line comments and nested block
 * comments do not end a statement; {@code COPY … FROM stdin;} is followed by data up to a line
 * {@code \.}; psql meta-commands are not supported: a line starting with a backslash where a
 * statement could start becomes a statement of its own (which the parser rejects), except pg_dump's
 * {@code restrict}/{@code unrestrict} meta-commands, which are dropped. Explicit BEGIN/COMMIT are
 * statements of their own. Every statement keeps its line and column.
 *
 * <p>Like psql (psqlscan.l), a semicolon inside parentheses does not end a statement (rule actions
 * such as {@code DO INSTEAD (INSERT …; INSERT …)}), and in {@code CREATE [OR REPLACE]
 * FUNCTION|PROCEDURE} a PG 14 SQL-standard body {@code BEGIN ATOMIC … END} is tracked with
 * psql's heuristic: outside parentheses {@code BEGIN} opens a block, {@code CASE} opens one only
 * inside a block, {@code END} closes one.
 *
 * <p>Comments between two statements become the next statement's {@code leadingComments}, also
 * when they follow the previous statement's semicolon on the same line. Comments after the last
 * token of a statement and before its semicolon are not part of its text.
 */
public final class SqlSplitter {
    private SqlSplitter() {}

    /**
     * @throws SqlSyntaxException for an unterminated string, quoted identifier, dollar quote or
     *                            block comment, or COPY data without its {@code \.} terminator,
     *                            with the line and column where it started
     */
    public static List<RawStatement> split(String script) {
        final SqlLexer lx = new SqlLexer(script);
        final List<RawStatement> out = new ArrayList<>();
        List<String> comments = new ArrayList<>();

        int stmtStart = -1;
        int stmtLine = 0;
        int stmtColumn = 0;
        int lastEnd = 0;
        int parenDepth = 0;
        int beginDepth = 0;
        int identCount = 0; // identifiers seen in the statement (psql's identifier_count)
        // Statement shape, from its first identifiers.
        boolean copy = false;
        boolean afterFrom = false;
        boolean copyFromStdin = false;
        boolean routine = false; // CREATE [OR REPLACE] FUNCTION|PROCEDURE
        boolean orReplace = false;
        boolean create = false;

        while (lx.next()) {
            Kind k = lx.kind();
            if (k == Kind.LINE_COMMENT || k == Kind.BLOCK_COMMENT) {
                if (stmtStart < 0) comments.add(lx.commentBody());
                continue;
            }
            if (k == Kind.SEMICOLON && parenDepth == 0 && beginDepth == 0) {
                if (stmtStart >= 0) {
                    String data = null;
                    if (copyFromStdin) {
                        data = readCopyData(script, lx, stmtLine, stmtColumn);
                    }
                    out.add(new RawStatement(script.substring(stmtStart, lastEnd), stmtLine, stmtColumn, comments, data));
                    comments = new ArrayList<>();
                }
                stmtStart = -1;
                identCount = 0;
                copy = afterFrom = copyFromStdin = routine = orReplace = create = false;
                continue;
            }
            if (stmtStart < 0 && k == Kind.OPERATOR && script.charAt(lx.start()) == '\\') {
                // A psql meta-command line (\echo, \set, \connect …): not SQL. It becomes a statement
                // of its own so the parser reports it, and cannot swallow the next statement. pg_dump's
                // "restrict" / "unrestrict" meta-commands (PG 17.6, 16.10, …) have no effect on the
                // schema and are dropped.
                int eol = script.indexOf('\n', lx.start());
                int lineEnd = eol < 0 ? script.length() : eol;
                String meta = script.substring(lx.start(), lineEnd).strip();
                if (!meta.startsWith("\\restrict") && !meta.startsWith("\\unrestrict")) {
                    out.add(new RawStatement(meta, lx.tokenLine(), lx.tokenColumn(), comments, null));
                    comments = new ArrayList<>();
                }
                if (eol < 0) lx.resetTo(script.length(), lx.tokenLine());
                else lx.resetTo(eol + 1, lx.tokenLine() + 1);
                continue;
            }
            if (stmtStart < 0) {
                stmtStart = lx.start();
                stmtLine = lx.tokenLine();
                stmtColumn = lx.tokenColumn();
            }
            lastEnd = lx.end();
            switch (k) {
                case LPAREN -> parenDepth++;
                case RPAREN -> {
                    if (parenDepth > 0) parenDepth--;
                }
                case IDENT -> {
                    int idx = identCount++;
                    if (idx == 0) {
                        copy = lx.identIs("copy");
                        create = lx.identIs("create");
                    } else if (copy) {
                        if (parenDepth == 0 && afterFrom && lx.identIs("stdin")) copyFromStdin = true;
                        afterFrom = parenDepth == 0 && lx.identIs("from");
                    } else if (routine) {
                        if (parenDepth == 0) {
                            if (lx.identIs("begin")) {
                                beginDepth++;
                            } else if (lx.identIs("case")) {
                                if (beginDepth > 0) beginDepth++;
                            } else if (lx.identIs("end")) {
                                if (beginDepth > 0) beginDepth--;
                            }
                        }
                    } else if (create && idx <= 3) {
                        // CREATE FUNCTION / CREATE OR REPLACE FUNCTION (and PROCEDURE).
                        boolean kw = lx.identIs("function") || lx.identIs("procedure");
                        if (idx == 1) {
                            routine = kw;
                            orReplace = lx.identIs("or");
                        } else if (idx == 2) {
                            orReplace = orReplace && lx.identIs("replace");
                        } else {
                            routine = orReplace && kw;
                        }
                    }
                }
                default -> {
                    if (copy) afterFrom = false;
                }
            }
        }
        if (stmtStart >= 0) {
            if (copyFromStdin) {
                throw new SqlSyntaxException("COPY … FROM stdin without data terminated by \\.", stmtLine, stmtColumn);
            }
            out.add(new RawStatement(script.substring(stmtStart, lastEnd), stmtLine, stmtColumn, comments, null));
        }
        return out;
    }

    /**
     * Reads COPY data: from the line after the statement's semicolon up to a line {@code \.};
     * leaves the lexer after that line.
     */
    private static String readCopyData(String s, SqlLexer lx, int line, int column) {
        int len = s.length();
        int nl = s.indexOf('\n', lx.position());
        if (nl < 0) {
            throw new SqlSyntaxException("COPY … FROM stdin without data terminated by \\.", line, column);
        }
        int dataStart = nl + 1;
        int lineNo = lx.line() + 1;
        int p = dataStart;
        while (p < len) {
            int e = s.indexOf('\n', p);
            int lineEnd = e < 0 ? len : e;
            int contentEnd = lineEnd > p && s.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
            if (contentEnd - p == 2 && s.charAt(p) == '\\' && s.charAt(p + 1) == '.') {
                String data = s.substring(dataStart, p);
                if (e < 0) lx.resetTo(len, lineNo);
                else lx.resetTo(e + 1, lineNo + 1);
                return data;
            }
            if (e < 0) break;
            p = e + 1;
            lineNo++;
        }
        throw new SqlSyntaxException("COPY … FROM stdin without data terminated by \\.", line, column);
    }
}
