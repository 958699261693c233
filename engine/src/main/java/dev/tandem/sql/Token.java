package dev.tandem.sql;

/**
 * One lexical token of a PostgreSQL statement.
 *
 * @param kind   what sort of token
 * @param text   the token's value: unquoted identifiers folded to lower case, quoted identifiers
 *               without quotes and with {@code ""} collapsed, string constants decoded (quotes,
 *               {@code ''}, {@code E''} escapes and dollar tags removed), other tokens as written
 * @param start  offset of the first character in the text given to the lexer
 * @param end    offset just past the last character
 * @param line   1-based line of the first character
 * @param column 1-based column of the first character
 */
public record Token(Kind kind, String text, int start, int end, int line, int column) {

    public enum Kind {
        /** Unquoted identifier or keyword (PostgreSQL keywords are identifiers to the lexer). */
        IDENT,
        /** {@code "Quoted"} or {@code U&"…"} identifier: never a keyword. */
        QUOTED_IDENT,
        /** {@code '…'}, {@code E'…'}, {@code B'…'}, {@code X'…'}, {@code U&'…'}, {@code $tag$…$tag$}. */
        STRING,
        NUMBER,
        /** Positional parameter {@code $1}. */
        PARAM,
        OPERATOR,
        LPAREN,
        RPAREN,
        LBRACKET,
        RBRACKET,
        COMMA,
        SEMICOLON,
        DOT,
        COLON,
        DOUBLE_COLON,
        LINE_COMMENT,
        BLOCK_COMMENT
    }

    /** An unquoted identifier equal to {@code keyword} (given in lower case). */
    public boolean isKeyword(String keyword) {
        return kind == Kind.IDENT && text.equals(keyword);
    }

    public boolean isIdentifier() {
        return kind == Kind.IDENT || kind == Kind.QUOTED_IDENT;
    }
}
