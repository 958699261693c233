package dev.tandem.classify.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.ColumnInfo;
import dev.tandem.catalog.SchemaModel;
import dev.tandem.catalog.SchemaReplayer;
import dev.tandem.classify.rules.TypeChangeAnalyzer.Kind;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.SqlParser;
import dev.tandem.sql.TypeName;
import dev.tandem.testing.PostgresExtension;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

class TypeChangeAnalyzerTest {
    private static final SqlParser PARSER = new SqlParser();

    /** {@code from} → {@code to} (the text after TYPE, with COLLATE / USING), and what PostgreSQL does. */
    private record Case(String from, String to, Kind kind) {}

    private static final List<Case> CASES = List.of(
            new Case("varchar(10)", "varchar(20)", Kind.NO_REWRITE),
            new Case("varchar(10)", "varchar", Kind.NO_REWRITE),
            new Case("varchar(10)", "text", Kind.NO_REWRITE),
            new Case("text", "varchar", Kind.NO_REWRITE),
            new Case("text", "varchar(10)", Kind.NARROWING),
            new Case("varchar(20)", "varchar(10)", Kind.NARROWING),
            new Case("varchar", "varchar(10)", Kind.NARROWING),
            new Case("numeric(10,2)", "numeric(12,2)", Kind.NO_REWRITE),
            new Case("numeric(10,2)", "numeric", Kind.NO_REWRITE),
            new Case("numeric(10,2)", "numeric(8,2)", Kind.NARROWING),
            new Case("numeric(10,2)", "numeric(10,1)", Kind.NARROWING),
            new Case("numeric(10,2)", "numeric(12,3)", Kind.REWRITE),
            new Case("numeric", "numeric(10,2)", Kind.NARROWING),
            new Case("cidr", "inet", Kind.NO_REWRITE),
            new Case("xml", "text", Kind.NO_REWRITE),
            new Case("varbit(5)", "varbit(10)", Kind.NO_REWRITE),
            new Case("bit(5)", "bit(10)", Kind.REWRITE),
            new Case("char(5)", "char(10)", Kind.REWRITE),
            new Case("char(5)", "char(2)", Kind.NARROWING),
            new Case("char(5)", "varchar(10)", Kind.REWRITE),
            new Case("timestamp(3)", "timestamp(6)", Kind.NO_REWRITE),
            new Case("timestamp(3)", "timestamp", Kind.NO_REWRITE),
            new Case("timestamp", "timestamp(6)", Kind.SAME),
            new Case("timestamp", "timestamp(3)", Kind.NARROWING),
            new Case("timestamptz(0)", "timestamptz(3)", Kind.NO_REWRITE),
            new Case("time(0)", "time(6)", Kind.NO_REWRITE),
            new Case("timetz(6)", "timetz(2)", Kind.NARROWING),
            new Case("interval", "interval(3)", Kind.NARROWING),
            new Case("integer", "bigint", Kind.REWRITE),
            new Case("bigint", "integer", Kind.REWRITE),
            new Case("smallint", "integer", Kind.REWRITE),
            new Case("text", "integer USING c::integer", Kind.REWRITE),
            new Case("varchar(10)", "varchar(20) USING c", Kind.NO_REWRITE),
            new Case("varchar(10)", "varchar(20) USING c::varchar(20)", Kind.NO_REWRITE),
            new Case("varchar(10)", "text USING lower(c)", Kind.REWRITE),
            new Case("text", "text COLLATE \"C\"", Kind.INDEX_REBUILD),
            new Case("varchar(10)", "varchar(20) COLLATE \"C\"", Kind.INDEX_REBUILD),
            new Case("integer[]", "bigint[]", Kind.REWRITE),
            new Case("text[]", "text[]", Kind.SAME),
            new Case("jsonb", "json", Kind.REWRITE),
            new Case("json", "jsonb", Kind.REWRITE),
            new Case("uuid", "text", Kind.REWRITE),
            new Case("timestamp", "timestamptz", Kind.TIME_ZONE),
            new Case("timestamptz", "timestamp", Kind.TIME_ZONE),
            new Case("timestamp(6)", "timestamptz(3)", Kind.NARROWING));

    private static TypeName type(String sql) {
        SchemaModel s = SchemaModel.offline();
        new SchemaReplayer().apply(PARSER.parse("CREATE TABLE t (c " + sql + ")"), s);
        return s.table(QualifiedName.of("t")).flatMap(t -> t.column("c")).map(ColumnInfo::type).orElseThrow();
    }

    private static AlterAction.AlterColumnType change(String to) {
        Change c = PARSER.parse("ALTER TABLE t ALTER COLUMN c TYPE " + to);
        return (AlterAction.AlterColumnType) ((Change.AlterTable) c).actions().get(0);
    }

    @Test
    void classifiesEachCase() {
        for (Case k : CASES) {
            assertThat(TypeChangeAnalyzer.classify(type(k.from()), change(k.to()), "c")).as(k.from() + " → " + k.to()).isEqualTo(k.kind());
        }
        assertThat(TypeChangeAnalyzer.classify(null, change("bigint"), "c")).isEqualTo(Kind.UNKNOWN);
    }

    @Test
    void recognisesZeroOffsetTimeZones() {
        for (String z : List.of("UTC", "utc", "Etc/UTC", "GMT", "Zulu", "UCT", "Etc/Universal", "'UTC'")) {
            assertThat(TypeChangeAnalyzer.isUtc(z)).as(z).isTrue();
        }
        for (String z : List.of("Europe/Berlin", "America/New_York", "local", "+01")) {
            assertThat(TypeChangeAnalyzer.isUtc(z)).as(z).isFalse();
        }
        assertThat(TypeChangeAnalyzer.isUtc(null)).isFalse();
    }

    /**
     * Each case on the real server: relfilenode of the table and of an index on the column before
     * and after the ALTER (inside BEGIN … ROLLBACK), under TimeZone Europe/Berlin, and for the
     * time-zone cases also under UTC.
     */
    @Test
    @ExtendWith(PostgresExtension.class)
    void agreesWithThePostgresServer(TestDatabase db) throws Exception {
        List<String> wrong = new ArrayList<>();
        try (Connection conn = db.connection()) {
            for (int i = 0; i < CASES.size(); i++) {
                Case k = CASES.get(i);
                for (String zone : k.kind() == Kind.TIME_ZONE ? List.of("Europe/Berlin", "UTC") : List.of("Europe/Berlin")) {
                    String observed = observe(conn, "tc" + i + zone.replace("/", "").toLowerCase(), k, zone);
                    String expected = switch (k.kind()) {
                        case SAME, NO_REWRITE -> "kept";
                        case INDEX_REBUILD -> "index rebuilt";
                        case NARROWING, REWRITE -> "rewritten";
                        // In UTC the table keeps its file, but the column's indexes change operator class.
                        case TIME_ZONE -> zone.equals("UTC") ? "index rebuilt" : "rewritten";
                        case UNKNOWN -> throw new IllegalStateException();
                    };
                    if (!observed.equals(expected)) {
                        wrong.add(k.from() + " → " + k.to() + " (TimeZone " + zone + "): expected " + expected + ", PostgreSQL: " + observed);
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    private static String observe(Connection conn, String table, Case k, String zone) throws Exception {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE " + table + " (id int, c " + k.from() + ")");
            // xml and json have no btree operator class: index another column, which a rewrite rebuilds too.
            boolean indexable = !k.from().equals("xml") && !k.from().equals("json") && !k.to().equals("json");
            st.execute("CREATE INDEX " + table + "_c_idx ON " + table + (indexable ? " (c)" : " (id)"));
            conn.setAutoCommit(false);
            try {
                st.execute("SET LOCAL TimeZone = '" + zone + "'");
                long tableBefore = relfilenode(st, table);
                long indexBefore = relfilenode(st, table + "_c_idx");
                st.execute("ALTER TABLE " + table + " ALTER COLUMN c TYPE " + k.to());
                boolean tableRewritten = relfilenode(st, table) != tableBefore;
                boolean indexRebuilt = relfilenode(st, table + "_c_idx") != indexBefore;
                return tableRewritten ? "rewritten" : indexRebuilt ? "index rebuilt" : "kept";
            } finally {
                conn.rollback();
                conn.setAutoCommit(true);
            }
        }
    }

    private static long relfilenode(Statement st, String relation) throws Exception {
        try (ResultSet rs = st.executeQuery("SELECT pg_relation_filenode('" + relation + "')")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
