package dev.tandem.sql;

import dev.tandem.sql.internal.ExprReader;
import dev.tandem.sql.internal.StatementParser;
import dev.tandem.sql.internal.TokenCursor;
import java.util.List;

/**
 * Parses one PostgreSQL statement (as cut by {@link SqlSplitter}) into a {@link Change}.
 * Hand-written recursive descent over {@code SqlLexer} tokens: PostgreSQL's grammar is too large
 * for Tandem to model whole, so it models what matters to schema migrations and returns
 * {@link Change.Opaque} (classified {@code review}) for the rest. It throws only for text that is
 * not PostgreSQL at all.
 *
 * <p>Conventions of the result, beyond what the records document:
 * <ul>
 *   <li>Leading comments and trailing semicolons are allowed; an empty (or comment-only)
 *       statement is {@code Opaque("empty statement")}.</li>
 *   <li>{@code CREATE INDEX}: {@code method} is {@code btree} when none is written; the index
 *       name gets the table's schema (an index always lives there); elements are column names or
 *       expression texts without COLLATE, operator class and ordering.</li>
 *   <li>{@code SET (k)} without a value stores {@code "true"} (what PostgreSQL reads it as).</li>
 *   <li>{@code DROP DOMAIN} is a {@link Change.DropType}; {@code DROP AGGREGATE/ROUTINE} a
 *       {@link Change.DropFunction}; {@code SELECT … INTO t} a {@link Change.CreateTable} with
 *       {@code asQuery}; {@code SET TRANSACTION} a {@code Transaction(OTHER)}.</li>
 *   <li>Data-modifying {@code WITH} queries and {@code EXPLAIN ANALYZE} of a data change are
 *       Opaque: they change data that the statement's type would not show.</li>
 * </ul>
 *
 * <p>Pure and thread-safe.
 */
public final class SqlParser {

    /**
     * @throws SqlSyntaxException when the statement does not start with a PostgreSQL command, a
     *                            modelled statement is malformed (e.g. ALTER TABLE without a table,
     *                            unbalanced parentheses), or the text holds more than one statement;
     *                            line and column are relative to {@code sql}
     */
    public Change parse(String sql) {
        return StatementParser.parse(sql, SqlLexer.tokenize(sql));
    }

    /**
     * Reads a lone expression, such as a default or CHECK that PostgreSQL printed with
     * {@code pg_get_expr}, into an {@link Expr} with the same conventions as expressions inside
     * statements (function names, sub-select flag).
     *
     * @return {@code null} for {@code null}
     * @throws SqlSyntaxException for an unterminated string or quoted identifier
     */
    public static Expr expression(String text) {
        if (text == null) return null;
        List<Token> tokens = SqlLexer.tokenize(text);
        return ExprReader.expr(new TokenCursor(text, tokens), 0, tokens.size());
    }
}
