package dev.tandem.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

/** Small builders shared by the parser tests. */
final class ParserTesting {
    private ParserTesting() {}

    static final SqlParser PARSER = new SqlParser();

    static Change parse(String sql) {
        return PARSER.parse(sql);
    }

    static <T extends Change> T parse(String sql, Class<T> type) {
        Change c = PARSER.parse(sql);
        assertThat(c).as(sql).isInstanceOf(type);
        return type.cast(c);
    }

    static List<AlterAction> actions(String sql) {
        return parse(sql, Change.AlterTable.class).actions();
    }

    static AlterAction action(String sql) {
        List<AlterAction> a = actions(sql);
        assertThat(a).as(sql).hasSize(1);
        return a.get(0);
    }

    static TypeName type(String name, String raw, Integer... mods) {
        return new TypeName(name, Arrays.asList(mods), 0, raw);
    }

    static TypeName arrayType(String name, String raw, int dims, Integer... mods) {
        return new TypeName(name, Arrays.asList(mods), dims, raw);
    }

    static Expr expr(String text, String... functions) {
        return new Expr(text, List.of(functions), false);
    }

    static Expr subqueryExpr(String text, String... functions) {
        return new Expr(text, List.of(functions), true);
    }

    /** A plain column: type only. */
    static ColumnDef column(String name, TypeName type) {
        return new ColumnDef(name, type, false, null, null, null, List.of(), null);
    }

    static QualifiedName qn(String name) {
        return QualifiedName.of(name);
    }

    static QualifiedName qn(String schema, String name) {
        return QualifiedName.of(schema, name);
    }
}
