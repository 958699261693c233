package dev.tandem.trace;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A few generated rows in every empty table of the scratch database, so that a traced validation
 * or scan has something to read and a rewrite something to copy (PostgreSQL skips work on an empty
 * table: a CHECK on no rows validates nothing). Best effort: a table whose columns cannot be
 * generated (an unknown type without a default, a foreign key of several columns, one whose
 * referenced table stays empty) or whose constraints refuse the rows is left empty, and said why. A
 * single-column foreign key takes a key of the referenced table.
 */
public final class SampleRows {
    private SampleRows() {}

    /** Tables filled and tables left empty (with why), for the trace report. */
    public record Result(List<String> filled, Map<String, String> skipped) {
        public Result {
            filled = List.copyOf(filled);
            skipped = Map.copyOf(skipped);
        }
    }

    /** {@code reference}: for a single-column foreign key, the referenced {@code table.column} as SQL. */
    private record Column(String name, String category, String type, boolean notNull, boolean generated, boolean foreignKey,
            String enumLabel, String reference) {}

    /** Inserts {@code rows} rows into each empty ordinary or partitioned table outside the system schemas. */
    public static Result fill(Connection c, int rows) throws SQLException {
        List<String> filled = new ArrayList<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        if (rows <= 0) return new Result(filled, skipped);
        // in passes: a table whose foreign key points at an empty table gets its rows once that
        // table has some
        List<String> todo = tables(c);
        while (!todo.isEmpty()) {
            skipped.clear();
            int before = filled.size();
            fillPass(c, rows, todo, filled, skipped);
            todo = new ArrayList<>(skipped.keySet());
            if (filled.size() == before) break;
        }
        return new Result(filled, skipped);
    }

    private static void fillPass(Connection c, int rows, List<String> tables, List<String> filled, Map<String, String> skipped)
            throws SQLException {
        for (String table : tables) {
            List<Column> columns = columns(c, table);
            List<String> names = new ArrayList<>();
            List<String> values = new ArrayList<>();
            String why = null;
            for (Column col : columns) {
                if (col.generated()) continue;
                String v = value(col);
                if (v == null && col.notNull()) {
                    why = "column " + col.name() + " (" + col.type() + (col.foreignKey() ? ", a foreign key" : "")
                            + ") cannot be generated";
                    break;
                }
                if (v == null) continue;
                names.add(quote(col.name()));
                values.add(v);
            }
            if (why != null) {
                skipped.put(table, why);
                continue;
            }
            String sql = "INSERT INTO " + table + (names.isEmpty() ? " SELECT FROM generate_series(1, " + rows + ") i"
                    : " (" + String.join(", ", names) + ") SELECT " + String.join(", ", values)
                            + " FROM generate_series(1, " + rows + ") i");
            try (Statement st = c.createStatement()) {
                st.execute(sql);
                st.execute("ANALYZE " + table);
                filled.add(table);
            } catch (SQLException e) {
                skipped.put(table, StatementTracer.firstLine(e));
            }
        }
    }

    /** A generated value of row {@code i}, distinct per row where the type allows (unique keys). */
    private static String value(Column col) {
        if (col.foreignKey()) {
            // a key of the referenced table (NULL, so refused, while that table is empty)
            return col.reference() == null ? null : "(SELECT " + col.reference() + " LIMIT 1)";
        }
        if (col.enumLabel() != null) return "'" + col.enumLabel().replace("'", "''") + "'::" + col.type();
        return switch (col.category()) {
            case "N" -> "(i % 32767)::" + col.type(); // numbers: small enough for smallint, distinct up to 32,767 rows
            case "S" -> col.type().startsWith("character(") || col.type().startsWith("character varying(")
                    ? "left('v' || i, " + length(col.type()) + ")::" + col.type() : "('v' || i)::" + col.type();
            case "B" -> "(i % 2 = 0)";
            case "D" -> "(timestamptz '2026-01-01 00:00:00+00' + i * interval '1 minute')::" + col.type();
            case "T" -> "(i * interval '1 second')::" + col.type();
            case "U" -> col.type().equals("uuid") ? "md5(i::text)::uuid" : col.type().startsWith("json") ? "'{}'::" + col.type() : null;
            default -> null;
        };
    }

    private static String length(String type) {
        return type.substring(type.indexOf('(') + 1, type.indexOf(')'));
    }

    private static List<String> tables(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT c.oid::regclass::text FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition "
                + "AND n.nspname NOT IN ('pg_catalog', 'information_schema', '" + StatementTracer.SCHEMA + "') "
                + "AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        List<String> empty = new ArrayList<>();
        for (String t : out) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT NOT EXISTS (SELECT FROM " + t + ")")) {
                rs.next();
                if (rs.getBoolean(1)) empty.add(t);
            }
        }
        return empty;
    }

    private static List<Column> columns(Connection c, String table) throws SQLException {
        List<Column> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.attname, t.typcategory, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                       a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '',
                       EXISTS (SELECT FROM pg_constraint k WHERE k.conrelid = a.attrelid AND k.contype = 'f'
                                  AND a.attnum = ANY (k.conkey)),
                       (SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = a.atttypid ORDER BY e.enumsortorder LIMIT 1),
                       (SELECT quote_ident(r.attname) || ' FROM ' || k.confrelid::regclass::text
                          FROM pg_constraint k JOIN pg_attribute r ON r.attrelid = k.confrelid AND r.attnum = k.confkey[1]
                         WHERE k.conrelid = a.attrelid AND k.contype = 'f' AND k.conkey = ARRAY[a.attnum] LIMIT 1)
                  FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
                 WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped
                 ORDER BY a.attnum""")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Column(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getBoolean(5),
                            rs.getBoolean(6), rs.getString(7), rs.getString(8)));
                }
            }
        }
        return out;
    }

    private static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
