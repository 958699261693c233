package dev.tandem.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.sql.Token.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlLexerTest {

    private static List<String> texts(String sql) {
        return SqlLexer.tokenize(sql).stream().map(Token::text).toList();
    }

    private static List<Kind> kinds(String sql) {
        return SqlLexer.tokenize(sql).stream().map(Token::kind).toList();
    }

    @Test
    void identifiersFoldUnquotedAndKeepQuoted() {
        assertThat(SqlLexer.tokenize("SELECT Foo, \"Foo\", \"a\"\"b\", ÄBc, a$1"))
                .extracting(Token::kind, Token::text)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Kind.IDENT, "select"),
                        org.assertj.core.groups.Tuple.tuple(Kind.IDENT, "foo"),
                        org.assertj.core.groups.Tuple.tuple(Kind.COMMA, ","),
                        org.assertj.core.groups.Tuple.tuple(Kind.QUOTED_IDENT, "Foo"),
                        org.assertj.core.groups.Tuple.tuple(Kind.COMMA, ","),
                        org.assertj.core.groups.Tuple.tuple(Kind.QUOTED_IDENT, "a\"b"),
                        org.assertj.core.groups.Tuple.tuple(Kind.COMMA, ","),
                        org.assertj.core.groups.Tuple.tuple(Kind.IDENT, "Äbc"),
                        org.assertj.core.groups.Tuple.tuple(Kind.COMMA, ","),
                        org.assertj.core.groups.Tuple.tuple(Kind.IDENT, "a$1"));
    }

    @Test
    void unicodeIdentifiersAndStrings() {
        assertThat(texts("U&\"d\\0061t\\+000061\" U&'\\0041B'")).containsExactly("data", "AB");
        assertThat(kinds("U&\"x\" U&'y'")).containsExactly(Kind.QUOTED_IDENT, Kind.STRING);
    }

    @Test
    void stringConstants() {
        assertThat(texts("'it''s' E'a\\'b\\n\\x41\\101\\u0042' B'1010' X'FF' N'nat' 'back\\slash'"))
                .containsExactly("it's", "a'b\nAAB", "1010", "FF", "nat", "back\\slash");
        assertThat(kinds("e'x' b'1' x'f' n'y'")).containsOnly(Kind.STRING);
    }

    @Test
    void dollarQuotes() {
        assertThat(texts("$$a 'b' ; c$$ $fn$ $$ inner $$ $fn$ $_x1$y$_x1$"))
                .containsExactly("a 'b' ; c", " $$ inner $$ ", "y");
        assertThat(kinds("$$x$$ $t$y$t$")).containsOnly(Kind.STRING);
    }

    @Test
    void parametersAreNotDollarQuotes() {
        assertThat(SqlLexer.tokenize("SELECT $1, $23 FROM t WHERE a = $2"))
                .filteredOn(t -> t.kind() == Kind.PARAM)
                .extracting(Token::text)
                .containsExactly("$1", "$23", "$2");
    }

    @Test
    void numbers() {
        assertThat(texts("1 1.5 .5 1e10 2.5E-3 0x1F 1_000 1..2")).containsExactly(
                "1", "1.5", ".5", "1e10", "2.5E-3", "0x1F", "1_000", "1", ".", ".2");
        assertThat(kinds("42 3.14")).containsOnly(Kind.NUMBER);
    }

    @Test
    void operatorsAndPunctuation() {
        assertThat(texts("a::int[] <> b >= c || d -> 'k' ->> 'x' @> e #>> '{a}' := f")).containsExactly(
                "a", "::", "int", "[", "]", "<>", "b", ">=", "c", "||", "d", "->", "k", "->>", "x", "@>", "e",
                "#>>", "{a}", ":=", "f");
        // scan.l: an operator ending in + or - is cut unless it has one of ~!@#%^&|`?
        assertThat(texts("a=-1 b*-2 c@-d")).containsExactly("a", "=", "-", "1", "b", "*", "-", "2", "c", "@-", "d");
        assertThat(kinds("( ) [ ] , ; . : ::")).containsExactly(Kind.LPAREN, Kind.RPAREN, Kind.LBRACKET,
                Kind.RBRACKET, Kind.COMMA, Kind.SEMICOLON, Kind.DOT, Kind.COLON, Kind.DOUBLE_COLON);
    }

    @Test
    void commentsAreSkippedOrKept() {
        String sql = "a -- one\n/* two /* nested */ still */ b-- three";
        assertThat(texts(sql)).containsExactly("a", "b");
        assertThat(SqlLexer.tokenizeWithComments(sql)).extracting(Token::kind)
                .containsExactly(Kind.IDENT, Kind.LINE_COMMENT, Kind.BLOCK_COMMENT, Kind.IDENT, Kind.LINE_COMMENT);
        assertThat(texts("a--b\nc")).containsExactly("a", "c");
        assertThat(texts("1/*x*/2")).containsExactly("1", "2");
    }

    @Test
    void positionsAreOneBasedLinesAndColumns() {
        List<Token> t = SqlLexer.tokenize("SELECT\n  'a\nb', x\n\t\"q\"");
        assertThat(t).extracting(Token::line).containsExactly(1, 2, 3, 3, 4);
        assertThat(t).extracting(Token::column).containsExactly(1, 3, 3, 5, 2);
        assertThat(t.get(1).start()).isEqualTo(9);
        assertThat(t.get(1).end()).isEqualTo(14);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SELECT 'abc                  | 1 | 8  | unterminated quoted string",
        "SELECT E'abc\\'              | 1 | 8  | unterminated quoted string",
        "SELECT\\n  \"abc              | 2 | 3  | unterminated quoted identifier",
        "SELECT \"\"                  | 1 | 8  | zero-length delimited identifier",
        "SELECT $tag$ x $TAG$         | 1 | 8  | unterminated dollar-quoted string",
        "SELECT 1 /* a /* b */        | 1 | 10 | unterminated /* comment",
    })
    void unterminatedConstructs(String sql, int line, int column, String detail) {
        assertThatThrownBy(() -> SqlLexer.tokenize(sql.replace("\\n", "\n")))
                .isInstanceOfSatisfying(SqlSyntaxException.class, e -> {
                    assertThat(e.detail()).isEqualTo(detail);
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.column()).isEqualTo(column);
                });
    }

    @Test
    void tokenHelpers() {
        Token kw = SqlLexer.tokenize("Select").get(0);
        Token quoted = SqlLexer.tokenize("\"select\"").get(0);
        assertThat(kw.isKeyword("select")).isTrue();
        assertThat(quoted.isKeyword("select")).isFalse();
        assertThat(quoted.isIdentifier()).isTrue();
    }
}
