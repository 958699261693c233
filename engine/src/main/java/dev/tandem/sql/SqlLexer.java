package dev.tandem.sql;

import dev.tandem.sql.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's lexical rules (scan.l) in one pass over the characters, without regular expressions.
 *
 * <p>Used two ways: {@link #tokenize} builds the token list of one statement for the parser;
 * {@link SqlSplitter} drives {@link #next()} directly and reads the current token's kind and
 * position without allocating a {@link Token} per token, which keeps splitting large scripts fast.
 *
 * <p>Decisions that follow PostgreSQL (with {@code standard_conforming_strings = on}, the default
 * since 9.1): backslashes are literal in {@code '…'} and escape characters only in {@code E'…'};
 * {@code $1} is a parameter, {@code $tag$} opens a dollar quote only when the tag is an identifier
 * without {@code $}; identifiers may contain {@code $} after their first character, so
 * {@code a$$b} is one identifier; only ASCII letters are folded to lower case, as PostgreSQL does
 * for multi-byte encodings.
 */
public final class SqlLexer {
    private final String src;
    private final int len;
    private int pos;
    private int line = 1;
    private int lineStart;

    // The current token (valid after next() returned true).
    private Kind kind;
    private int start;
    private int end;
    private int tokLine;
    private int tokColumn;
    /** String sub-kind: 0 plain/B/X/N, 'E' escape string, 'U' unicode string, '$' dollar quote. */
    private char stringStyle;
    /** Length of the opening delimiter of a string or quoted identifier ({@code E'} → 2, {@code $a$} → 3). */
    private int openLen;

    public SqlLexer(String src) {
        this.src = src;
        this.len = src.length();
    }

    /** All tokens of {@code sql}, comments excluded. */
    public static List<Token> tokenize(String sql) {
        SqlLexer lx = new SqlLexer(sql);
        List<Token> out = new ArrayList<>(Math.max(8, sql.length() / 5));
        while (lx.next()) {
            if (lx.kind != Kind.LINE_COMMENT && lx.kind != Kind.BLOCK_COMMENT) out.add(lx.token());
        }
        return out;
    }

    /** All tokens of {@code sql}, comments included. */
    public static List<Token> tokenizeWithComments(String sql) {
        SqlLexer lx = new SqlLexer(sql);
        List<Token> out = new ArrayList<>();
        while (lx.next()) out.add(lx.token());
        return out;
    }

    // ------------------------------------------------------------------ current token accessors

    Kind kind() {
        return kind;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    int tokenLine() {
        return tokLine;
    }

    int tokenColumn() {
        return tokColumn;
    }

    /** Offset where scanning continues. */
    int position() {
        return pos;
    }

    int line() {
        return line;
    }

    /** Continues scanning at {@code offset}, which is the first character of line {@code lineNo}. */
    void resetTo(int offset, int lineNo) {
        pos = offset;
        line = lineNo;
        lineStart = offset;
    }

    /** Whether the current token is an unquoted identifier equal to {@code lower} ignoring case. */
    boolean identIs(String lower) {
        return kind == Kind.IDENT && end - start == lower.length() && src.regionMatches(true, start, lower, 0, lower.length());
    }

    Token token() {
        return new Token(kind, value(), start, end, tokLine, tokColumn);
    }

    /** The body of the current comment without its markers ({@code -- x} → {@code " x"}). */
    String commentBody() {
        if (kind == Kind.LINE_COMMENT) {
            int e = end;
            if (e > start + 2 && src.charAt(e - 1) == '\r') e--;
            return src.substring(start + 2, e);
        }
        return src.substring(start + 2, end - 2);
    }

    // ------------------------------------------------------------------ scanning

    /**
     * Advances to the next token or comment.
     *
     * @return false at the end of the text
     * @throws SqlSyntaxException for an unterminated quote, dollar quote or block comment
     */
    boolean next() {
        final String s = src;
        int p = pos;
        // Whitespace.
        while (p < len) {
            char c = s.charAt(p);
            if (c == '\n') {
                line++;
                lineStart = p + 1;
            } else if (c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != 0x0B) {
                break;
            }
            p++;
        }
        if (p >= len) {
            pos = len;
            return false;
        }
        start = p;
        tokLine = line;
        tokColumn = p - lineStart + 1;
        char c = s.charAt(p);
        char d = p + 1 < len ? s.charAt(p + 1) : 0;
        switch (c) {
            case '\'' -> scanString(p, 1, (char) 0);
            case '"' -> scanQuotedIdent(p, 1);
            case '$' -> scanDollar(p);
            case '(' -> single(Kind.LPAREN, p);
            case ')' -> single(Kind.RPAREN, p);
            case '[' -> single(Kind.LBRACKET, p);
            case ']' -> single(Kind.RBRACKET, p);
            case ',' -> single(Kind.COMMA, p);
            case ';' -> single(Kind.SEMICOLON, p);
            case ':' -> {
                if (d == ':') {
                    kind = Kind.DOUBLE_COLON;
                    pos = end = p + 2;
                } else if (d == '=') {
                    kind = Kind.OPERATOR;
                    pos = end = p + 2;
                } else {
                    single(Kind.COLON, p);
                }
            }
            case '.' -> {
                if (d >= '0' && d <= '9') scanNumber(p);
                else single(Kind.DOT, p);
            }
            default -> {
                if (c == '-' && d == '-') {
                    scanLineComment(p);
                } else if (c == '/' && d == '*') {
                    scanBlockComment(p);
                } else if (c >= '0' && c <= '9') {
                    scanNumber(p);
                } else if (isIdentStart(c)) {
                    scanWord(p, c, d);
                } else if (isOpChar(c)) {
                    scanOperator(p);
                } else {
                    // A character PostgreSQL would reject (e.g. a psql backslash command): keep it as
                    // a one-character operator so the parser can report it with its position.
                    single(Kind.OPERATOR, p);
                }
            }
        }
        return true;
    }

    private void single(Kind k, int p) {
        kind = k;
        pos = end = p + 1;
    }

    private void scanLineComment(int p) {
        int i = p + 2;
        while (i < len && src.charAt(i) != '\n') i++;
        kind = Kind.LINE_COMMENT;
        pos = end = i;
    }

    private void scanBlockComment(int p) {
        final String s = src;
        int depth = 1;
        int i = p + 2;
        while (i < len) {
            char c = s.charAt(i);
            if (c == '*' && i + 1 < len && s.charAt(i + 1) == '/') {
                i += 2;
                if (--depth == 0) {
                    kind = Kind.BLOCK_COMMENT;
                    pos = end = i;
                    return;
                }
                continue;
            }
            if (c == '/' && i + 1 < len && s.charAt(i + 1) == '*') {
                depth++;
                i += 2;
                continue;
            }
            if (c == '\n') {
                line++;
                lineStart = i + 1;
            }
            i++;
        }
        throw new SqlSyntaxException("unterminated /* comment", tokLine, tokColumn);
    }

    /** A string constant whose opening quote is at {@code p + prefix - 1}. */
    private void scanString(int p, int prefix, char style) {
        final String s = src;
        final boolean backslash = style == 'E';
        int i = p + prefix;
        while (i < len) {
            char c = s.charAt(i);
            if (c == '\'') {
                if (i + 1 < len && s.charAt(i + 1) == '\'') {
                    i += 2;
                    continue;
                }
                kind = Kind.STRING;
                stringStyle = style;
                openLen = prefix;
                pos = end = i + 1;
                return;
            }
            if (c == '\\' && backslash && i + 1 < len) {
                i++;
                c = s.charAt(i);
            }
            if (c == '\n') {
                line++;
                lineStart = i + 1;
            }
            i++;
        }
        throw new SqlSyntaxException("unterminated quoted string", tokLine, tokColumn);
    }

    private void scanQuotedIdent(int p, int prefix) {
        final String s = src;
        int i = p + prefix;
        while (i < len) {
            char c = s.charAt(i);
            if (c == '"') {
                if (i + 1 < len && s.charAt(i + 1) == '"') {
                    i += 2;
                    continue;
                }
                if (i == p + prefix) {
                    throw new SqlSyntaxException("zero-length delimited identifier", tokLine, tokColumn);
                }
                kind = Kind.QUOTED_IDENT;
                stringStyle = prefix == 1 ? 0 : 'U';
                openLen = prefix;
                pos = end = i + 1;
                return;
            }
            if (c == '\n') {
                line++;
                lineStart = i + 1;
            }
            i++;
        }
        throw new SqlSyntaxException("unterminated quoted identifier", tokLine, tokColumn);
    }

    private void scanDollar(int p) {
        final String s = src;
        int i = p + 1;
        if (i < len && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            while (i < len && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
            kind = Kind.PARAM;
            pos = end = i;
            return;
        }
        // Dollar-quote tag: same rules as an identifier, but without '$' (scan.l: dolq_start/dolq_cont).
        if (i < len && isIdentStart(s.charAt(i))) {
            i++;
            while (i < len && isTagChar(s.charAt(i))) i++;
        }
        if (i >= len || s.charAt(i) != '$') {
            // A lone '$' (or "$abc" without closing '$'): not valid SQL; leave it to the parser.
            single(Kind.OPERATOR, p);
            return;
        }
        int tagLen = i + 1 - p;
        int close = tagLen == 2 ? s.indexOf("$$", i + 1) : indexOfTag(p, tagLen, i + 1);
        if (close < 0) {
            throw new SqlSyntaxException("unterminated dollar-quoted string", tokLine, tokColumn);
        }
        for (int k = i + 1; k < close; k++) {
            if (s.charAt(k) == '\n') {
                line++;
                lineStart = k + 1;
            }
        }
        kind = Kind.STRING;
        stringStyle = '$';
        openLen = tagLen;
        pos = end = close + tagLen;
    }

    private int indexOfTag(int tagStart, int tagLen, int from) {
        final String s = src;
        int i = from;
        while (true) {
            int k = s.indexOf('$', i);
            if (k < 0 || k + tagLen > len) return -1;
            if (s.regionMatches(k, s, tagStart, tagLen)) return k;
            i = k + 1;
        }
    }

    private void scanNumber(int p) {
        final String s = src;
        int i = p;
        if (s.charAt(i) == '0' && i + 1 < len && "xXoObB".indexOf(s.charAt(i + 1)) >= 0
                && i + 2 < len && isWordChar(s.charAt(i + 2))) {
            // PG 16 non-decimal integers: 0x1F, 0o17, 0b101 (with optional underscores).
            i += 2;
            while (i < len && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
        } else {
            while (i < len && (isDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
            if (i < len && s.charAt(i) == '.' && !(i + 1 < len && s.charAt(i + 1) == '.')) {
                i++;
                while (i < len && (isDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
            }
            if (i < len && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                int k = i + 1;
                if (k < len && (s.charAt(k) == '+' || s.charAt(k) == '-')) k++;
                if (k < len && isDigit(s.charAt(k))) {
                    i = k;
                    while (i < len && isDigit(s.charAt(i))) i++;
                }
            }
        }
        kind = Kind.NUMBER;
        pos = end = i;
    }

    private void scanWord(int p, char c, char d) {
        // String and identifier prefixes: E'…', B'…', X'…', N'…', U&'…', U&"…".
        if (d == '\'') {
            switch (c) {
                case 'e', 'E' -> {
                    scanString(p, 2, 'E');
                    return;
                }
                case 'b', 'B', 'x', 'X', 'n', 'N' -> {
                    scanString(p, 2, (char) 0);
                    return;
                }
                default -> {}
            }
        }
        if ((c == 'u' || c == 'U') && d == '&' && p + 2 < len) {
            char q = src.charAt(p + 2);
            if (q == '\'') {
                scanString(p, 3, 'U');
                return;
            }
            if (q == '"') {
                scanQuotedIdent(p, 3);
                return;
            }
        }
        int i = p + 1;
        while (i < len && isWordChar(src.charAt(i))) i++;
        kind = Kind.IDENT;
        pos = end = i;
    }

    private void scanOperator(int p) {
        final String s = src;
        int i = p;
        while (i < len && isOpChar(s.charAt(i))) {
            // A comment start ends the operator (scan.l).
            if (i > p && (s.startsWith("--", i) || s.startsWith("/*", i))) break;
            i++;
        }
        int n = i - p;
        if (n > 1) {
            // scan.l: an operator may end in + or - only if it contains one of ~ ! @ # % ^ & | ` ?
            // (so "=-1" is "=" followed by "-1").
            boolean special = false;
            for (int k = p; k < i; k++) {
                if ("~!@#%^&|`?".indexOf(s.charAt(k)) >= 0) {
                    special = true;
                    break;
                }
            }
            if (!special) {
                while (i > p + 1 && (s.charAt(i - 1) == '+' || s.charAt(i - 1) == '-')) i--;
            }
        }
        kind = Kind.OPERATOR;
        pos = end = i;
    }

    // ------------------------------------------------------------------ values

    /** The value of the current token (see {@link Token#text()}). */
    String value() {
        return switch (kind) {
            case IDENT -> foldLower(src, start, end);
            case QUOTED_IDENT -> {
                String body = src.substring(start + openLen, end - 1).replace("\"\"", "\"");
                yield stringStyle == 'U' ? decodeUnicode(body) : body;
            }
            case STRING -> switch (stringStyle) {
                case '$' -> src.substring(start + openLen, end - openLen);
                case 'E' -> decodeEscapes(src.substring(start + openLen, end - 1));
                case 'U' -> decodeUnicode(src.substring(start + openLen, end - 1).replace("''", "'"));
                default -> src.substring(start + openLen, end - 1).replace("''", "'");
            };
            default -> src.substring(start, end);
        };
    }

    static String foldLower(String s, int from, int to) {
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') break;
            i++;
        }
        if (i == to) return s.substring(from, to);
        char[] out = new char[to - from];
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            out[k - from] = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }
        return new String(out);
    }

    private static String decodeEscapes(String body) {
        if (body.indexOf('\\') < 0) return body.replace("''", "'");
        StringBuilder sb = new StringBuilder(body.length());
        int n = body.length();
        for (int i = 0; i < n; i++) {
            char c = body.charAt(i);
            if (c == '\'' && i + 1 < n && body.charAt(i + 1) == '\'') {
                sb.append('\'');
                i++;
            } else if (c == '\\' && i + 1 < n) {
                char e = body.charAt(++i);
                switch (e) {
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'x' -> {
                        int k = i + 1;
                        while (k < n && k < i + 3 && Character.digit(body.charAt(k), 16) >= 0) k++;
                        if (k == i + 1) {
                            sb.append('x');
                        } else {
                            sb.append((char) Integer.parseInt(body.substring(i + 1, k), 16));
                            i = k - 1;
                        }
                    }
                    case 'u', 'U' -> {
                        int digits = e == 'u' ? 4 : 8;
                        if (i + digits < n && isHex(body, i + 1, i + 1 + digits)) {
                            sb.appendCodePoint(Integer.parseInt(body.substring(i + 1, i + 1 + digits), 16));
                            i += digits;
                        } else {
                            sb.append(e);
                        }
                    }
                    default -> {
                        if (e >= '0' && e <= '7') {
                            int k = i;
                            while (k < n && k < i + 3 && body.charAt(k) >= '0' && body.charAt(k) <= '7') k++;
                            sb.append((char) Integer.parseInt(body.substring(i, k), 8));
                            i = k - 1;
                        } else {
                            sb.append(e);
                        }
                    }
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** U&'…' / U&"…" with the default escape character (UESCAPE is left as written). */
    private static String decodeUnicode(String body) {
        if (body.indexOf('\\') < 0) return body;
        StringBuilder sb = new StringBuilder(body.length());
        int n = body.length();
        for (int i = 0; i < n; i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < n) {
                if (body.charAt(i + 1) == '\\') {
                    sb.append('\\');
                    i++;
                } else if (body.charAt(i + 1) == '+' && i + 7 < n && isHex(body, i + 2, i + 8)) {
                    sb.appendCodePoint(Integer.parseInt(body.substring(i + 2, i + 8), 16));
                    i += 7;
                } else if (i + 4 < n && isHex(body, i + 1, i + 5)) {
                    sb.append((char) Integer.parseInt(body.substring(i + 1, i + 5), 16));
                    i += 4;
                } else {
                    sb.append(c);
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isHex(String s, int from, int to) {
        if (to > s.length()) return false;
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) return false;
        }
        return true;
    }

    // ------------------------------------------------------------------ character classes

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    private static boolean isTagChar(char c) {
        return isIdentStart(c) || isDigit(c);
    }

    private static boolean isWordChar(char c) {
        return isIdentStart(c) || isDigit(c) || c == '$';
    }

    private static boolean isOpChar(char c) {
        return switch (c) {
            case '~', '!', '@', '#', '^', '&', '|', '`', '?', '+', '-', '*', '/', '%', '<', '>', '=' -> true;
            default -> false;
        };
    }
}
