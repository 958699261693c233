package dev.tandem.sql;

import java.util.List;

/**
 * One statement cut out of a script by {@link SqlSplitter}.
 *
 * @param sql             statement text, trimmed, without the terminating semicolon and without the
 *                        comments before it; comments inside the statement are kept
 * @param line            1-based line of the statement's first token in the script
 * @param column          1-based column of that token
 * @param leadingComments the comments between the previous statement and this one, in order, each
 *                        without its markers ({@code -- x} → {@code " x"}, {@code /* x *}{@code /}
 *                        → {@code " x "}); Tandem directives ({@code migrate:ignore …}) live here
 * @param copyData        for {@code COPY … FROM stdin}: the data lines up to (excluding) the
 *                        terminating {@code \.} line, else {@code null}
 */
public record RawStatement(String sql, int line, int column, List<String> leadingComments, String copyData) {
    public RawStatement {
        leadingComments = List.copyOf(leadingComments);
    }
}
