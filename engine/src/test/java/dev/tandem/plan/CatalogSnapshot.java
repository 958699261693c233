package dev.tandem.plan;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The user-visible schema of a database as comparable text, one line per object, for lifecycle
 * tests: "after rollback the schema is as before", "after contract the schema is what the
 * original statement gives". Relations, columns (position among visible columns, type,
 * nullability, default, identity, generated), constraints (definition and whether validated),
 * indexes (definition, valid, primary), partitions (bound, key), triggers (definition) and
 * functions (signature; a recipe's helper function must be gone after contract). System schemas
 * are left out.
 * Public for the integration tests.
 */
public record CatalogSnapshot(List<String> relations, List<String> columns, List<String> constraints, List<String> indexes,
                       List<String> partitions, List<String> triggers, List<String> functions) {

    private static final String USER_SCHEMAS =
            "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

    public static CatalogSnapshot of(Connection c) throws SQLException {
        return new CatalogSnapshot(
                lines(c, "SELECT n.nspname || '.' || c.relname || ' ' || c.relkind::text FROM pg_class c"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND " + USER_SCHEMAS),
                lines(c, "SELECT n.nspname || '.' || c.relname || ' #' || row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum)"
                        + " || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)"
                        + " || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END"
                        + " || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')"
                        + " || CASE a.attidentity WHEN 'a' THEN ' IDENTITY ALWAYS' WHEN 'd' THEN ' IDENTITY BY DEFAULT' ELSE '' END"
                        + " || CASE a.attgenerated WHEN 's' THEN ' GENERATED STORED' ELSE '' END"
                        + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                        + " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped AND " + USER_SCHEMAS),
                lines(c, "SELECT n.nspname || '.' || c.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)"
                        + " || CASE WHEN con.convalidated THEN '' ELSE ' [not validated]' END"
                        + " FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE " + USER_SCHEMAS),
                lines(c, "SELECT pg_get_indexdef(i.indexrelid)"
                        + " || CASE WHEN i.indisprimary THEN ' [primary]' ELSE '' END"
                        + " || CASE WHEN i.indisvalid THEN '' ELSE ' [INVALID]' END"
                        + " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE " + USER_SCHEMAS),
                lines(c, "SELECT n.nspname || '.' || c.relname || ' ' || COALESCE('PARTITION BY ' || pg_get_partkeydef(c.oid), '')"
                        + " || COALESCE(' PARTITION OF ' || p.relname || ' ' || pg_get_expr(c.relpartbound, c.oid), '')"
                        + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " LEFT JOIN pg_inherits h ON h.inhrelid = c.oid LEFT JOIN pg_class p ON p.oid = h.inhparent"
                        + " WHERE (c.relkind = 'p' OR c.relispartition) AND " + USER_SCHEMAS),
                lines(c, "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND " + USER_SCHEMAS),
                lines(c, "SELECT n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'"
                        + " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE " + USER_SCHEMAS
                        + " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"));
    }

    /**
     * The same snapshot with each column's position left out: recipes that copy a column into a
     * new one (rename, type change) leave it last in the table, where the original statement kept
     * its place. Nothing else is dropped.
     */
    public CatalogSnapshot withoutColumnOrder() {
        return new CatalogSnapshot(relations, columns.stream().map(l -> l.replaceFirst(" #\\d+ ", " ")).sorted().toList(),
                constraints, indexes, partitions, triggers, functions);
    }

    private static List<String> lines(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql + " ORDER BY 1")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
