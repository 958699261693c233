package dev.tandem.sql;

import java.util.List;

/**
 * Splits a PostgreSQL script into statements the way psql and Flyway's PostgreSQL parser do:
 * semicolons inside single quotes, {@code E''} strings (backslash escapes), quoted identifiers,
 * dollar quotes with or without tags ({@code $fn$ … $fn$}), line comments and nested block
 * comments do not end a statement; {@code COPY … FROM stdin;} is followed by data up to a line
 * {@code \.}; psql meta-commands are not supported. Explicit BEGIN/COMMIT are statements of
 * their own. Every statement keeps its line and column.
 */
public final class SqlSplitter {
    private SqlSplitter() {}

    /**
     * @throws SqlSyntaxException for an unterminated string, quoted identifier, dollar quote or
     *                            block comment, or COPY data without its {@code \.} terminator,
     *                            with the line and column where it started
     */
    public static List<RawStatement> split(String script) {
        throw new UnsupportedOperationException("not yet written");
    }
}
