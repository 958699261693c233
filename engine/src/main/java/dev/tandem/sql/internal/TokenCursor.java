package dev.tandem.sql.internal;

import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.SqlSyntaxException;
import dev.tandem.sql.Token;
import dev.tandem.sql.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A position in the token list of one statement, with the small vocabulary the statement parsers
 * share. Keywords are matched against unquoted identifiers only ({@code "select"} quoted is a name).
 *
 * <p>Error policy: a missing <em>name</em> where the grammar requires one is a
 * {@link SqlSyntaxException} (the statement is malformed); an unexpected keyword or token is
 * {@link Unmodelled} (it may be valid PostgreSQL that Tandem does not model).
 */
public final class TokenCursor {
    /**
     * PostgreSQL's reserved keywords (and the type/function-name ones that cannot be table names):
     * they never stand unquoted for an object name, so meeting one where a name is due means the
     * statement is malformed.
     */
    static final Set<String> RESERVED = Set.of(
            "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case",
            "cast", "check", "collate", "column", "constraint", "create", "current_catalog", "current_date",
            "current_role", "current_time", "current_timestamp", "current_user", "default", "deferrable",
            "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign", "from",
            "grant", "group", "having", "in", "initially", "intersect", "into", "lateral", "leading", "limit",
            "localtime", "localtimestamp", "not", "null", "offset", "on", "only", "or", "order", "placing",
            "primary", "references", "returning", "select", "session_user", "some", "symmetric",
            "system_user", "table", "then", "to", "trailing", "true", "union", "unique", "user", "using",
            "variadic", "when", "where", "window", "with");

    private final String sql;
    private final List<Token> tokens;
    private final int size;
    private int pos;

    public TokenCursor(String sql, List<Token> tokens) {
        this.sql = sql;
        this.tokens = tokens;
        this.size = tokens.size();
    }

    public String sql() {
        return sql;
    }

    public List<Token> tokens() {
        return tokens;
    }

    public int pos() {
        return pos;
    }

    public void seek(int p) {
        pos = p;
    }

    public int size() {
        return size;
    }

    public boolean atEnd() {
        return pos >= size;
    }

    /** The current token, or {@code null} at the end. */
    public Token peek() {
        return pos < size ? tokens.get(pos) : null;
    }

    public Token peek(int ahead) {
        int i = pos + ahead;
        return i < size ? tokens.get(i) : null;
    }

    public Token token(int index) {
        return tokens.get(index);
    }

    public Token next() {
        if (pos >= size) throw syntax("unexpected end of statement");
        return tokens.get(pos++);
    }

    // ------------------------------------------------------------------ keyword tests

    public boolean is(String keyword) {
        return pos < size && tokens.get(pos).isKeyword(keyword);
    }

    public boolean is(int ahead, String keyword) {
        int i = pos + ahead;
        return i < size && tokens.get(i).isKeyword(keyword);
    }

    public boolean is(Kind kind) {
        return pos < size && tokens.get(pos).kind() == kind;
    }

    public boolean is(int ahead, Kind kind) {
        int i = pos + ahead;
        return i < size && tokens.get(i).kind() == kind;
    }

    /** Whether the next tokens are exactly these keywords. */
    public boolean isSeq(String... keywords) {
        for (int k = 0; k < keywords.length; k++) {
            if (!is(k, keywords[k])) return false;
        }
        return true;
    }

    public boolean isAny(String... keywords) {
        for (String k : keywords) {
            if (is(k)) return true;
        }
        return false;
    }

    public boolean accept(String keyword) {
        if (is(keyword)) {
            pos++;
            return true;
        }
        return false;
    }

    public boolean accept(Kind kind) {
        if (is(kind)) {
            pos++;
            return true;
        }
        return false;
    }

    public boolean isOp(String op) {
        Token t = peek();
        return t != null && t.kind() == Kind.OPERATOR && t.text().equals(op);
    }

    public boolean acceptOp(String op) {
        if (isOp(op)) {
            pos++;
            return true;
        }
        return false;
    }

    /** Consumes all of these keywords, or none of them. */
    public boolean acceptSeq(String... keywords) {
        if (!isSeq(keywords)) return false;
        pos += keywords.length;
        return true;
    }

    /** Consumes and returns the one of {@code keywords} that is next, or returns null. */
    public String acceptAny(String... keywords) {
        for (String k : keywords) {
            if (accept(k)) return k;
        }
        return null;
    }

    public void expect(String keyword) {
        if (!accept(keyword)) throw unexpected(keyword.toUpperCase(java.util.Locale.ROOT));
    }

    public void expectSeq(String... keywords) {
        for (String k : keywords) expect(k);
    }

    public void expect(Kind kind) {
        if (!accept(kind)) throw unexpected(describe(kind));
    }

    /** The statement must end here; anything else is a form Tandem does not model. */
    public void expectEnd() {
        if (pos < size) {
            Token t = tokens.get(pos);
            throw new Unmodelled("unexpected " + quote(t) + " at line " + t.line() + ", column " + t.column());
        }
    }

    // ------------------------------------------------------------------ names

    public boolean isName() {
        Token t = peek();
        return t != null && (t.kind() == Kind.QUOTED_IDENT || (t.kind() == Kind.IDENT && !RESERVED.contains(t.text())));
    }

    /** An identifier (unquoted, not a reserved keyword, or quoted), normalised. */
    public String name(String what) {
        if (!isName()) throw syntax("expected " + what + atToken());
        return tokens.get(pos++).text();
    }

    /** Like {@link #name} but also accepts reserved keywords (column labels, option names). */
    public String label(String what) {
        Token t = peek();
        if (t == null || !t.isIdentifier()) throw syntax("expected " + what + atToken());
        pos++;
        return t.text();
    }

    /** {@code [catalog.][schema.]name}; a catalog part is dropped (PostgreSQL only allows the current one). */
    /**
     * {@code [ONLY] name [*] [, …]}: the table list of TRUNCATE and LOCK. ONLY and {@code *} (the
     * inheritance markers) do not change which tables are named.
     */
    public List<QualifiedName> tableList() {
        List<QualifiedName> tables = new ArrayList<>();
        do {
            accept("only");
            tables.add(qualifiedName("a table name"));
            acceptOp("*");
        } while (accept(Kind.COMMA));
        return tables;
    }

    public QualifiedName qualifiedName(String what) {
        String first = name(what);
        if (!is(Kind.DOT)) return QualifiedName.of(first);
        pos++;
        String second = label(what);
        if (!is(Kind.DOT)) return QualifiedName.of(first, second);
        pos++;
        String third = label(what);
        return QualifiedName.of(second, third);
    }

    /** A comma-separated list of qualified names (DROP TABLE a, b). */
    public List<QualifiedName> qualifiedNames(String what) {
        List<QualifiedName> out = new ArrayList<>();
        do {
            out.add(qualifiedName(what));
            acceptOp("*"); // ONLY-less inheritance marker: t *
        } while (accept(Kind.COMMA));
        return out;
    }

    /** {@code (a, b, c)}: names, each optionally followed by words up to the comma (e.g. WITHOUT OVERLAPS). */
    public List<String> parenNames(String what) {
        expect(Kind.LPAREN);
        List<String> out = new ArrayList<>();
        if (accept(Kind.RPAREN)) return out;
        do {
            if (is("period")) pos++; // PG 18 temporal foreign keys: (a, PERIOD b)
            out.add(label(what));
            while (!atEnd() && !is(Kind.COMMA) && !is(Kind.RPAREN)) {
                if (is(Kind.LPAREN)) skipParens();
                else pos++;
            }
        } while (accept(Kind.COMMA));
        expect(Kind.RPAREN);
        return out;
    }

    // ------------------------------------------------------------------ skipping and text

    /** At an opening parenthesis or bracket: moves past its match; returns the index of the match. */
    public int skipParens() {
        int depth = 0;
        while (pos < size) {
            Kind k = tokens.get(pos).kind();
            if (k == Kind.LPAREN || k == Kind.LBRACKET) depth++;
            else if (k == Kind.RPAREN || k == Kind.RBRACKET) depth--;
            pos++;
            if (depth == 0) return pos - 1;
        }
        throw syntax("unbalanced parentheses");
    }

    /**
     * Moves to the first token at nesting depth 0 (parentheses, brackets, CASE … END) that is a
     * comma, a closing parenthesis of an enclosing level, or one of {@code stopKeywords}; returns
     * that index (or the end). Stop keywords only count after at least one token.
     */
    public int skipExpr(Set<String> stopKeywords) {
        int start = pos;
        int depth = 0;
        while (pos < size) {
            Token t = tokens.get(pos);
            switch (t.kind()) {
                case LPAREN, LBRACKET -> depth++;
                case RPAREN, RBRACKET -> {
                    if (depth == 0) return pos;
                    depth--;
                }
                case COMMA -> {
                    if (depth == 0) return pos;
                }
                case SEMICOLON -> {
                    if (depth == 0) return pos;
                }
                case IDENT -> {
                    String w = t.text();
                    if (w.equals("case")) depth++;
                    else if (w.equals("end") && depth > 0) depth--;
                    else if (depth == 0 && pos > start && stopKeywords.contains(w)) return pos;
                }
                default -> {}
            }
            pos++;
        }
        return pos;
    }

    /** The source of tokens {@code [from, to)} with every run of whitespace and comments as one space. */
    public String text(int from, int to) {
        if (from >= to) return "";
        StringBuilder sb = new StringBuilder();
        int prevEnd = -1;
        for (int i = from; i < to; i++) {
            Token t = tokens.get(i);
            if (prevEnd >= 0 && t.start() > prevEnd) sb.append(' ');
            sb.append(sql, t.start(), t.end());
            prevEnd = t.end();
        }
        return sb.toString();
    }

    /** The source from token {@code from} to the end of the statement, whitespace normalised. */
    public String textToEnd(int from) {
        return text(from, size);
    }

    /** The source of tokens {@code [from, to)} exactly as written. */
    public String source(int from, int to) {
        if (from >= to) return "";
        return sql.substring(tokens.get(from).start(), tokens.get(to - 1).end());
    }

    // ------------------------------------------------------------------ errors

    public SqlSyntaxException syntax(String detail) {
        Token t = peek();
        if (t == null) {
            if (size == 0) return new SqlSyntaxException(detail, 1, 1);
            Token last = tokens.get(size - 1);
            return new SqlSyntaxException(detail, last.line(), last.column() + (last.end() - last.start()));
        }
        return new SqlSyntaxException(detail, t.line(), t.column());
    }

    public Unmodelled unexpected(String expected) {
        Token t = peek();
        if (t == null) return new Unmodelled("expected " + expected + " at the end of the statement");
        return new Unmodelled("expected " + expected + " but found " + quote(t) + " at line " + t.line()
                + ", column " + t.column());
    }

    private String atToken() {
        Token t = peek();
        return t == null ? " at the end of the statement" : ", found " + quote(t);
    }

    private String quote(Token t) {
        String s = sql.substring(t.start(), Math.min(t.end(), t.start() + 40));
        return "'" + s + "'";
    }

    private static String describe(Kind kind) {
        return switch (kind) {
            case LPAREN -> "'('";
            case RPAREN -> "')'";
            case LBRACKET -> "'['";
            case RBRACKET -> "']'";
            case COMMA -> "','";
            case DOT -> "'.'";
            default -> kind.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
