package dev.tandem.sql.internal;

import dev.tandem.sql.Expr;
import dev.tandem.sql.Token;
import dev.tandem.sql.Token.Kind;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds an {@link Expr} from a range of tokens: the text with whitespace normalised, the functions
 * it calls and whether it has a sub-select.
 *
 * <p>A function call is an identifier or qualified identifier directly followed by {@code (}. Not
 * counted: reserved keywords and SQL syntax that looks like a call but is not a function in
 * {@code pg_proc} ({@code CAST}, {@code COALESCE}, {@code NULLIF}, {@code GREATEST},
 * {@code LEAST}, {@code ARRAY}, {@code ROW}, {@code EXISTS}, {@code IN}, {@code VALUES},
 * {@code OVER}, {@code FILTER}, …), and type names after {@code ::} or {@code AS}
 * ({@code x::numeric(10,2)}, {@code CAST(x AS varchar(5))}). Keeping these out lets a rule test
 * "every function here is immutable" against {@code pg_proc} names without exceptions.
 * {@code EXTRACT}, {@code SUBSTRING}, {@code POSITION}, {@code TRIM}, {@code OVERLAY} are counted:
 * they are functions with special argument syntax. SQL value keywords that behave like functions
 * ({@code CURRENT_TIMESTAMP}, {@code LOCALTIME}, {@code USER}, …) are counted with or without
 * parentheses. Names appear once, in order of first appearance.
 */
public final class ExprReader {
    private ExprReader() {}

    static final Set<String> VALUE_KEYWORDS = Set.of(
            "current_timestamp", "current_date", "current_time", "localtime", "localtimestamp",
            "current_user", "session_user", "user", "current_role", "current_schema", "current_catalog",
            "system_user");

    private static final Set<String> NOT_FUNCTIONS = buildNotFunctions();

    private static Set<String> buildNotFunctions() {
        Set<String> s = new java.util.HashSet<>(TokenCursor.RESERVED);
        s.removeAll(VALUE_KEYWORDS);
        s.addAll(List.of(
                "exists", "coalesce", "nullif", "greatest", "least", "row", "values", "between", "over",
                "filter", "within", "cross", "full", "ilike", "inner", "is", "isnull", "join", "like",
                "natural", "notnull", "outer", "overlaps", "similar", "tablesample", "interval", "explain",
                "if", "returns", "setof", "elsif", "while", "loop", "perform", "return", "by", "partition",
                "rows", "range", "groups", "nulls", "ordinality", "lateral", "set", "conflict", "do",
                "update", "insert", "delete", "merge", "matched", "then", "include", "xmlattributes"));
        return Set.copyOf(s);
    }

    /** Words that may continue a type name after its first word ({@code x::timestamp with time zone}). */
    private static final Set<String> TYPE_CONTINUATION = Set.of(
            "varying", "precision", "with", "without", "time", "zone", "year", "month", "day", "hour",
            "minute", "second", "to");

    public static Expr expr(TokenCursor c, int from, int to) {
        String text = c.text(from, to);
        List<Token> t = c.tokens();
        Set<String> functions = new LinkedHashSet<>();
        boolean subquery = false;
        int i = from;
        while (i < to) {
            Token tok = t.get(i);
            Kind k = tok.kind();
            if (k == Kind.DOUBLE_COLON) {
                i = skipType(t, i + 1, to);
                continue;
            }
            if (k == Kind.LPAREN) {
                if (i + 1 < to && (t.get(i + 1).isKeyword("select") || t.get(i + 1).isKeyword("with"))) {
                    subquery = true;
                }
                i++;
                continue;
            }
            if (k == Kind.IDENT || k == Kind.QUOTED_IDENT) {
                boolean afterDot = i > from && t.get(i - 1).kind() == Kind.DOT;
                boolean afterAs = i > from && t.get(i - 1).isKeyword("as");
                // A qualified name: a.b.c
                int j = i;
                StringBuilder name = new StringBuilder(tok.text());
                while (j + 2 < to && t.get(j + 1).kind() == Kind.DOT && t.get(j + 2).isIdentifier()) {
                    j += 2;
                    name.append('.').append(t.get(j).text());
                }
                boolean call = j + 1 < to && t.get(j + 1).kind() == Kind.LPAREN;
                if (!afterDot) {
                    if (k == Kind.IDENT && j == i && VALUE_KEYWORDS.contains(tok.text())) {
                        functions.add(tok.text());
                    } else if (call && !afterAs && !(k == Kind.IDENT && j == i && NOT_FUNCTIONS.contains(tok.text()))) {
                        functions.add(name.toString());
                    }
                }
                i = j + 1;
                continue;
            }
            i++;
        }
        return new Expr(text, List.copyOf(functions), subquery);
    }

    /** Skips a type name starting at {@code i} (after {@code ::}); returns the index after it. */
    private static int skipType(List<Token> t, int i, int to) {
        if (i >= to || !t.get(i).isIdentifier()) return i;
        i++;
        while (i + 1 < to && t.get(i).kind() == Kind.DOT && t.get(i + 1).isIdentifier()) i += 2;
        while (i < to) {
            Token tok = t.get(i);
            if (tok.kind() == Kind.LPAREN || tok.kind() == Kind.LBRACKET) {
                i = matching(t, i, to) + 1;
            } else if (tok.kind() == Kind.IDENT && TYPE_CONTINUATION.contains(tok.text())) {
                // "with"/"without" only continue a type when "time zone" follows.
                if ((tok.text().equals("with") || tok.text().equals("without"))
                        && !(i + 1 < to && t.get(i + 1).isKeyword("time"))) {
                    break;
                }
                if (tok.text().equals("to") && !(i + 1 < to && t.get(i + 1).kind() == Kind.IDENT
                        && TYPE_CONTINUATION.contains(t.get(i + 1).text()))) {
                    break;
                }
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    private static int matching(List<Token> t, int i, int to) {
        int depth = 0;
        for (int k = i; k < to; k++) {
            Kind kind = t.get(k).kind();
            if (kind == Kind.LPAREN || kind == Kind.LBRACKET) depth++;
            else if (kind == Kind.RPAREN || kind == Kind.RBRACKET) {
                if (--depth == 0) return k;
            }
        }
        return to - 1;
    }
}
