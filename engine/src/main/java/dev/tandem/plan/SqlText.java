package dev.tandem.plan;

import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.SqlLexer;
import dev.tandem.sql.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Writing SQL text for steps: identifiers and literals quoted as PostgreSQL needs them, and the
 * few token-level edits the recipes make to a statement as written (so that every clause Tandem
 * does not model, such as ON UPDATE, DEFERRABLE or an index's INCLUDE, is kept exactly).
 */
final class SqlText {
    private SqlText() {}

    /**
     * Keywords that cannot be a column or table name without quotes: PostgreSQL's reserved and
     * type/function-name keywords (kwlist.h, PostgreSQL 16).
     */
    private static final Set<String> RESERVED = Set.of(
            "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast",
            "check", "collate", "column", "constraint", "create", "current_catalog", "current_date", "current_role",
            "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do",
            "else", "end", "except", "false", "fetch", "for", "foreign", "from", "grant", "group", "having", "in",
            "initially", "intersect", "into", "lateral", "leading", "limit", "localtime", "localtimestamp", "not",
            "null", "offset", "on", "only", "or", "order", "placing", "primary", "references", "returning", "select",
            "session_user", "some", "symmetric", "system_user", "table", "then", "to", "trailing", "true", "union",
            "unique", "user", "using", "variadic", "when", "where", "window", "with",
            "authorization", "binary", "collation", "concurrently", "cross", "current_schema", "freeze", "full",
            "ilike", "inner", "is", "isnull", "join", "left", "like", "natural", "notnull", "outer", "overlaps",
            "right", "similar", "tablesample", "verbose");

    /** An identifier as SQL: bare when PostgreSQL would read it back unchanged, else double-quoted. */
    static String ident(String name) {
        boolean plain = !name.isEmpty() && !RESERVED.contains(name);
        for (int i = 0; plain && i < name.length(); i++) {
            char c = name.charAt(i);
            plain = (c >= 'a' && c <= 'z') || c == '_' || (i > 0 && ((c >= '0' && c <= '9') || c == '$'));
        }
        return plain ? name : '"' + name.replace("\"", "\"\"") + '"';
    }

    /** A name as SQL, qualified only when the migration qualified it (the search path then decides, as it did there). */
    static String name(QualifiedName name) {
        return name.schema() == null ? ident(name.name()) : ident(name.schema()) + "." + ident(name.name());
    }

    static String identList(List<String> names) {
        return String.join(", ", names.stream().map(SqlText::ident).toList());
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** {@code to_regclass('name')}: the relation's oid, or NULL when it does not exist, resolved like the DDL is. */
    static String regclass(QualifiedName name) {
        return "to_regclass(" + literal(name(name)) + ")";
    }

    /** The statement's tokens, comments left out. */
    static List<Token> tokens(String sql) {
        return SqlLexer.tokenize(sql);
    }

    /**
     * An expression written against a table's columns, rewritten to read them from a trigger's row
     * variable: {@code onRow("lower(email) || id::text", Set.of("email", "id"), "NEW")} gives
     * {@code lower(NEW.email) || NEW.id::text}. Token-based, so that a longer name containing a
     * column's name, a string literal, a qualified name ({@code t.email}), a function call
     * ({@code email(…)}) and a type name after {@code ::} or {@code AS} are left alone.
     *
     * @param columns the table's column names, as stored (unquoted, case as in the catalog)
     */
    static String onRow(String expr, java.util.Collection<String> columns, String record) {
        List<Token> t = tokens(expr);
        StringBuilder out = new StringBuilder();
        int copied = 0;
        for (int i = 0; i < t.size(); i++) {
            Token k = t.get(i);
            if (!k.isIdentifier()) continue;
            String raw = expr.substring(k.start(), k.end());
            String name = k.kind() == Token.Kind.QUOTED_IDENT && raw.startsWith("\"")
                    ? raw.substring(1, raw.length() - 1).replace("\"\"", "\"")
                    : k.text().toLowerCase(java.util.Locale.ROOT);
            if (!columns.contains(name)) continue;
            Token before = i > 0 ? t.get(i - 1) : null;
            Token after = i + 1 < t.size() ? t.get(i + 1) : null;
            if (before != null && (before.kind() == Token.Kind.DOT || before.kind() == Token.Kind.DOUBLE_COLON
                    || before.isKeyword("as"))) continue;
            if (after != null && (after.kind() == Token.Kind.DOT || after.kind() == Token.Kind.LPAREN)) continue;
            out.append(expr, copied, k.start()).append(record).append('.').append(ident(name));
            copied = k.end();
        }
        return out.append(expr.substring(copied)).toString();
    }

    /** The statement up to the end of its last token: no trailing comment or semicolon to append after. */
    static String trimmed(String sql) {
        List<Token> t = tokens(sql);
        int end = t.size();
        while (end > 0 && t.get(end - 1).kind() == Token.Kind.SEMICOLON) end--;
        if (end == 0) return sql.strip();
        return sql.substring(t.get(0).start(), t.get(end - 1).end());
    }

    /**
     * The index of the token after the table name of {@code ALTER TABLE [IF EXISTS] [ONLY] name [*]},
     * or -1 when the statement does not start that way.
     */
    static int afterAlterTableName(List<Token> t) {
        int i = 0;
        if (!at(t, i++, "alter") || !at(t, i++, "table")) return -1;
        if (at(t, i, "if") && at(t, i + 1, "exists")) i += 2;
        if (at(t, i, "only")) i++;
        if (i >= t.size() || !t.get(i).isIdentifier()) return -1;
        i++;
        while (i + 1 < t.size() && t.get(i).kind() == Token.Kind.DOT && t.get(i + 1).isIdentifier()) i += 2;
        if (i < t.size() && t.get(i).kind() == Token.Kind.OPERATOR && t.get(i).text().equals("*")) i++;
        return i;
    }

    static boolean at(List<Token> t, int i, String keyword) {
        return i >= 0 && i < t.size() && t.get(i).isKeyword(keyword);
    }

    /** The index of the token that closes the parenthesis opened at {@code open}, or -1. */
    static int closing(List<Token> t, int open) {
        int depth = 0;
        for (int i = open; i < t.size(); i++) {
            switch (t.get(i).kind()) {
                case LPAREN, LBRACKET -> depth++;
                case RPAREN, RBRACKET -> {
                    if (--depth == 0) return i;
                }
                default -> { }
            }
        }
        return -1;
    }

    /** The first token at parenthesis depth 0 at or after {@code from} that is {@code keyword}, or -1. */
    static int find(List<Token> t, int from, String keyword) {
        int depth = 0;
        for (int i = from; i < t.size(); i++) {
            Token k = t.get(i);
            if (k.kind() == Token.Kind.LPAREN || k.kind() == Token.Kind.LBRACKET) depth++;
            else if (k.kind() == Token.Kind.RPAREN || k.kind() == Token.Kind.RBRACKET) depth--;
            else if (depth == 0 && k.isKeyword(keyword)) return i;
        }
        return -1;
    }

    /**
     * The columns a SET list assigns ({@code a = 1, (b, c) = (2, 3)} → a, b, c), or {@code null}
     * when the list is not of that form.
     */
    static List<String> assignedColumns(String setList) {
        List<Token> t = tokens(setList);
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < t.size()) {
            if (t.get(i).kind() == Token.Kind.LPAREN) {
                int close = closing(t, i);
                if (close < 0) return null;
                for (int j = i + 1; j < close; j++) {
                    Token k = t.get(j);
                    if (k.isIdentifier()) out.add(k.text());
                    else if (k.kind() != Token.Kind.COMMA) return null;
                }
                i = close + 1;
            } else if (t.get(i).isIdentifier()) {
                out.add(t.get(i).text());
                i++;
                // a = …, a[1] = … and a.field = … all assign column a
                if (i < t.size() && (t.get(i).kind() == Token.Kind.LBRACKET)) i = closing(t, i) + 1;
                while (i + 1 < t.size() && t.get(i).kind() == Token.Kind.DOT) i += 2;
            } else {
                return null;
            }
            if (i >= t.size() || !(t.get(i).kind() == Token.Kind.OPERATOR && t.get(i).text().equals("="))) return null;
            // skip the value up to the next comma at depth 0
            int depth = 0;
            i++;
            while (i < t.size()) {
                Token k = t.get(i);
                if (k.kind() == Token.Kind.LPAREN || k.kind() == Token.Kind.LBRACKET) depth++;
                else if (k.kind() == Token.Kind.RPAREN || k.kind() == Token.Kind.RBRACKET) depth--;
                else if (depth == 0 && k.kind() == Token.Kind.COMMA) break;
                i++;
            }
            i++;
        }
        return out;
    }
}
