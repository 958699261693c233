package dev.tandem.sql;

import java.util.List;

/**
 * An SQL expression kept as text (Tandem does not evaluate expressions) plus the facts the rules
 * need about it.
 *
 * @param text      the expression as written (whitespace normalised)
 * @param functions lower-cased names of the functions it calls, schema-qualified where written
 *                  ({@code "gen_random_uuid"}, {@code "pg_catalog.now"}), plus SQL value keywords
 *                  that behave like functions ({@code "current_timestamp"}, {@code "current_date"},
 *                  {@code "localtimestamp"}, {@code "current_user"}, …), in order of appearance
 * @param subquery  whether it contains a sub-select
 */
public record Expr(String text, List<String> functions, boolean subquery) {
    public Expr {
        functions = List.copyOf(functions);
    }

    public static Expr literal(String text) {
        return new Expr(text, List.of(), false);
    }

    @Override
    public String toString() {
        return text;
    }
}
