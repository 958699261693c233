package dev.tandem.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The three JDBC one-liners every database test needs, so that no test keeps a copy. */
public final class Sql {
    private Sql() {}

    /** Runs {@code sql} (one or more statements, no result wanted). */
    public static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** The first column of the first row as a long (a {@code count(*)}, an id). */
    public static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) throw new SQLException("no row from: " + sql);
            return rs.getLong(1);
        }
    }

    /** Every row: its one column as it is (NULL stays null), or its columns joined by one space. */
    public static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                if (n == 1) {
                    out.add(rs.getString(1));
                    continue;
                }
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) b.append(i > 1 ? " " : "").append(rs.getString(i));
                out.add(b.toString());
            }
        }
        return out;
    }
}
