package dev.tandem.catalog;

import dev.tandem.sql.Expr;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns an expression that PostgreSQL itself printed ({@code pg_get_expr}, pretty form) into an
 * {@link Expr}: the text as is, the functions it calls and whether it has a sub-select.
 *
 * <p>This is not a general SQL expression parser: the catalog's output is regular (keywords in
 * upper case, identifiers quoted only when needed, casts as {@code ::type}), so a scan that skips
 * literals and cast targets finds the calls reliably. Rules need the call names to tell a
 * volatile default ({@code clock_timestamp()}, {@code gen_random_uuid()}) from a constant one.
 */
final class CatalogExprParser {

    /** SQL value keywords that behave like functions (no parentheses), as {@link Expr} documents. */
    private static final Set<String> VALUE_FUNCTIONS = Set.of(
            "current_timestamp", "current_date", "current_time", "localtime", "localtimestamp",
            "current_user", "session_user", "user", "current_role", "current_schema", "current_catalog");

    /** Words followed by "(" that are syntax, not calls. */
    private static final Set<String> NOT_FUNCTIONS = Set.of(
            "and", "or", "not", "in", "any", "all", "some", "exists", "case", "when", "then", "else",
            "end", "is", "null", "between", "like", "ilike", "similar", "as", "array", "row", "values",
            "select", "from", "where", "distinct", "on", "using", "over", "filter", "within", "group",
            "by", "order", "partition", "escape", "collate", "true", "false", "unknown");

    private CatalogExprParser() {
    }

    static Expr parse(String text) {
        if (text == null) return null;
        List<String> functions = new ArrayList<>();
        boolean subquery = false;
        int n = text.length();
        int i = 0;
        while (i < n) {
            char ch = text.charAt(i);
            if (ch == '\'') {
                i = skipQuoted(text, i, '\'');
            } else if (ch == ':' && i + 1 < n && text.charAt(i + 1) == ':') {
                // The cast target is a type name, possibly several words ("character varying")
                // and with modifiers ("numeric(10,2)"): never a call.
                i = skipType(text, i + 2);
            } else if (ch == '"' || Character.isLetter(ch) || ch == '_') {
                int start = i;
                StringBuilder name = new StringBuilder();
                boolean quotedPart = false;
                while (true) {
                    if (i < n && text.charAt(i) == '"') {
                        int end = skipQuoted(text, i, '"');
                        name.append(text, i + 1, end - 1);
                        quotedPart = true;
                        i = end;
                    } else {
                        int s = i;
                        while (i < n && isIdentPart(text.charAt(i))) i++;
                        name.append(text.substring(s, i).toLowerCase(Locale.ROOT));
                    }
                    if (i + 1 < n && text.charAt(i) == '.' && (text.charAt(i + 1) == '"' || isIdentStart(text.charAt(i + 1)))) {
                        name.append('.');
                        i++;
                    } else {
                        break;
                    }
                }
                String word = name.toString();
                int j = i;
                while (j < n && Character.isWhitespace(text.charAt(j))) j++;
                boolean call = j < n && text.charAt(j) == '(';
                if (!quotedPart && word.equals("select")) {
                    subquery = true;
                } else if (call && (quotedPart || !NOT_FUNCTIONS.contains(word))) {
                    functions.add(word);
                } else if (!call && !quotedPart && VALUE_FUNCTIONS.contains(word)) {
                    functions.add(word);
                }
                if (i == start) i++; // defensive: never loop without progress
            } else {
                i++;
            }
        }
        return new Expr(text, functions, subquery);
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /** Index just past the closing quote; a doubled quote is an escaped one. */
    private static int skipQuoted(String text, int open, char quote) {
        int i = open + 1;
        while (i < text.length()) {
            if (text.charAt(i) == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return text.length();
    }

    /**
     * Skips a type name after "::": words, dots, quoted parts, one parenthesised modifier list
     * and array brackets. Multi-word types are only those PostgreSQL prints that way.
     */
    private static int skipType(String text, int from) {
        int n = text.length();
        int i = from;
        while (i < n && Character.isWhitespace(text.charAt(i))) i++;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '"') {
                i = skipQuoted(text, i, '"');
            } else if (isIdentPart(c) || c == '.') {
                i++;
            } else if (c == ' ' && continuesMultiWordType(text, i + 1)) {
                i++;
            } else if (c == '(') {
                int close = text.indexOf(')', i);
                i = close < 0 ? n : close + 1;
            } else if (c == '[' && i + 1 < n && text.charAt(i + 1) == ']') {
                i += 2;
            } else {
                break;
            }
        }
        return i;
    }

    private static final List<String> TYPE_CONTINUATIONS = List.of(
            "varying", "precision", "with time zone", "without time zone", "zone", "time zone");

    private static boolean continuesMultiWordType(String text, int at) {
        for (String w : TYPE_CONTINUATIONS) {
            if (text.regionMatches(true, at, w, 0, w.length())
                    && (at + w.length() >= text.length() || !isIdentPart(text.charAt(at + w.length())))) {
                return true;
            }
        }
        return false;
    }
}
