package dev.tandem.sql;

import dev.tandem.sql.internal.TokenCursor;
import dev.tandem.sql.internal.TypeParser;
import dev.tandem.sql.internal.Unmodelled;

/**
 * Type names outside a statement: parses a type as PostgreSQL's {@code format_type()} prints it
 * ({@code character varying(100)}, {@code timestamp(3) with time zone}, {@code integer[]},
 * {@code "MyType"}, {@code public.order_status}) into the same canonical {@link TypeName} the
 * parser produces for DDL, so catalog types and migration types compare equal.
 */
public final class TypeNames {
    private TypeNames() {}

    /**
     * @throws SqlSyntaxException when {@code type} is not a type name
     */
    public static TypeName parse(String type) {
        TokenCursor c = new TokenCursor(type, SqlLexer.tokenize(type));
        try {
            TypeName t = TypeParser.parse(c);
            if (!c.atEnd()) throw c.syntax("unexpected text after the type name");
            return t;
        } catch (Unmodelled e) {
            throw c.syntax("not a type name: " + e.reason());
        }
    }
}
