package dev.tandem.sql;

/**
 * Parses one PostgreSQL statement (as cut by {@link SqlSplitter}) into a {@link Change}.
 * Hand-written recursive descent over {@code SqlLexer} tokens: PostgreSQL's grammar is too large
 * for Tandem to model whole, so it models what matters to schema migrations and returns
 * {@link Change.Opaque} (classified {@code review}) for the rest. It throws only for text that is
 * not PostgreSQL at all.
 *
 * <p>Pure and thread-safe.
 */
public final class SqlParser {

    /**
     * @throws SqlSyntaxException when the statement does not start with a PostgreSQL command, or a
     *                            modelled statement is malformed (e.g. ALTER TABLE without a table)
     */
    public Change parse(String sql) {
        throw new UnsupportedOperationException("not yet written");
    }
}
