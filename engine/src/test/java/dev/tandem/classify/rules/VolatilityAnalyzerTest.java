package dev.tandem.classify.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.sql.Change;
import dev.tandem.sql.ColumnDef;
import dev.tandem.sql.Expr;
import dev.tandem.sql.SqlParser;
import dev.tandem.testing.PostgresExtension;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

class VolatilityAnalyzerTest {

    private static Expr defaultOf(String expression) {
        Change c = new SqlParser().parse("ALTER TABLE t ADD COLUMN c text DEFAULT " + expression);
        ColumnDef col = ((dev.tandem.sql.AlterAction.AddColumn) ((Change.AlterTable) c).actions().get(0)).column();
        return col.defaultValue();
    }

    @Test
    void volatileFunctionsAreFound() {
        assertThat(VolatilityAnalyzer.volatileFunctions(defaultOf("gen_random_uuid()"))).containsExactly("gen_random_uuid");
        assertThat(VolatilityAnalyzer.volatileFunctions(defaultOf("md5(random()::text)"))).containsExactly("random");
        assertThat(VolatilityAnalyzer.volatileFunctions(defaultOf("pg_catalog.clock_timestamp()"))).containsExactly("clock_timestamp");
        assertThat(VolatilityAnalyzer.volatileFunctions(defaultOf("my_code()"))).containsExactly("my_code");
        assertThat(VolatilityAnalyzer.knownVolatile("my_code")).isFalse();
        assertThat(VolatilityAnalyzer.knownVolatile("nextval")).isTrue();
    }

    @Test
    void stableAndImmutableExpressionsAreNotVolatile() {
        for (String e : List.of("now()", "CURRENT_TIMESTAMP", "'x'", "lower('A')", "coalesce(NULL, 'a')", "'{}'::jsonb",
                "to_char(now(), 'YYYY')", "current_date", "statement_timestamp()", "42")) {
            assertThat(VolatilityAnalyzer.volatileFunctions(defaultOf(e))).as(e).isEmpty();
        }
    }

    /** The lists agree with {@code pg_proc.provolatile} of the server for every built-in they name. */
    @Test
    @ExtendWith(PostgresExtension.class)
    void agreesWithPgProc(TestDatabase db) throws Exception {
        List<String> wrong = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT string_agg(DISTINCT provolatile::text, '') FROM pg_proc WHERE proname = ? AND pronamespace = 'pg_catalog'::regnamespace")) {
            for (String f : List.of("random", "setseed", "clock_timestamp", "timeofday", "nextval", "currval", "lastval", "gen_random_uuid")) {
                if (!provolatile(ps, f).equals("v")) wrong.add(f + " is not volatile");
            }
            for (String f : List.of("now", "transaction_timestamp", "statement_timestamp", "lower", "upper", "to_char", "txid_current",
                    "md5", "date_trunc", "concat", "jsonb_build_object", "to_jsonb", "length", "round", "replace", "current_setting")) {
                String v = provolatile(ps, f);
                if (v.isEmpty() || v.contains("v")) wrong.add(f + " has provolatile '" + v + "'");
                assertThat(VolatilityAnalyzer.volatileFunctions(new Expr(f + "()", List.of(f), false))).as(f).isEmpty();
            }
        }
        assertThat(wrong).isEmpty();
    }

    private static String provolatile(PreparedStatement ps, String f) throws Exception {
        ps.setString(1, f);
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            String v = rs.getString(1);
            return v == null ? "" : v;
        }
    }

    @Test
    void sqlValueKeywordsAreStable() {
        for (String k : Set.of("current_timestamp", "current_date", "localtimestamp", "current_user")) {
            assertThat(VolatilityAnalyzer.volatileFunctions(new Expr(k, List.of(k), false))).as(k).isEmpty();
        }
    }
}
