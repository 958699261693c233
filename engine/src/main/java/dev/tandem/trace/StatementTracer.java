package dev.tandem.trace;

import dev.tandem.classify.TableLock;
import dev.tandem.sql.LockMode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Runs statements on a scratch database and records what each did. A transactional statement runs
 * twice: once inside a transaction that is rolled back, with the observations taken before the
 * rollback (the locks are still held then, the transaction's own statistics still readable), and
 * once more for real, so that the statements after it find the schema it made. A statement that
 * cannot run in a transaction ({@code CONCURRENTLY}) runs once, for real.
 *
 * <p>Event triggers ({@code ddl_command_end}, {@code table_rewrite}) need a superuser; without one
 * the commands are not recorded and rewrites are found by {@code relfilenode} alone.
 */
public final class StatementTracer implements AutoCloseable {
    /** Tandem's capture tables and functions live here, excluded from every observation. */
    static final String SCHEMA = "tandem_trace";
    /** Statements that give a table new, empty storage: not a rewrite, and they read nothing. */
    private static final Pattern EMPTIES = Pattern.compile("(?is)\\s*(truncate\\b.*|refresh\\s+materialized\\s+view\\b.*\\bwith\\s+no\\s+data\\s*)");

    private final Connection c;
    private final boolean eventTriggers;
    private Set<Long> preexisting;

    private StatementTracer(Connection c, boolean eventTriggers) {
        this.c = c;
        this.eventTriggers = eventTriggers;
    }

    /** Installs the capture on {@code scratch} (a connection to a {@link ScratchDatabase}; the tracer closes it). */
    public static StatementTracer open(Connection scratch) throws SQLException {
        scratch.setAutoCommit(true);
        boolean superuser;
        try (Statement st = scratch.createStatement();
                ResultSet rs = st.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            superuser = rs.next() && rs.getBoolean(1);
        }
        try (Statement st = scratch.createStatement()) {
            st.execute("CREATE SCHEMA " + SCHEMA);
            st.execute("CREATE TABLE " + SCHEMA + ".ddl (seq bigint GENERATED ALWAYS AS IDENTITY, command_tag text)");
            st.execute("CREATE TABLE " + SCHEMA + ".rewrites (relid oid)");
            if (superuser) {
                st.execute("CREATE FUNCTION " + SCHEMA + ".on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "INSERT INTO " + SCHEMA + ".ddl (command_tag) SELECT command_tag FROM pg_event_trigger_ddl_commands(); END $$");
                st.execute("CREATE EVENT TRIGGER tandem_trace_ddl ON ddl_command_end EXECUTE FUNCTION " + SCHEMA + ".on_ddl()");
                st.execute("CREATE FUNCTION " + SCHEMA + ".on_rewrite() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "INSERT INTO " + SCHEMA + ".rewrites VALUES (pg_event_trigger_table_rewrite_oid()); END $$");
                st.execute("CREATE EVENT TRIGGER tandem_trace_rewrite ON table_rewrite EXECUTE FUNCTION " + SCHEMA + ".on_rewrite()");
            }
        }
        return new StatementTracer(scratch, superuser);
    }

    /** Whether commands and table_rewrite events are recorded (the role is a superuser). */
    public boolean eventTriggers() {
        return eventTriggers;
    }

    /**
     * Runs {@code sql} for real, unobserved (the earlier migrations the traced ones build on, and
     * each traced statement after its observation): in a transaction of its own, so that a
     * statement that works only inside one (LOCK TABLE, SAVEPOINT) works; one that cannot run in
     * one (CONCURRENTLY) runs in autocommit.
     */
    public void replay(String sql) throws SQLException {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute(sql);
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            if (!"25001".equals(e.getSQLState())) throw e;
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.execute(sql);
            }
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * Starts a migration: relations that exist now are the pre-existing ones for its statements
     * (a table an earlier statement of the same migration creates is nobody's traffic yet, as the
     * rules also see it). Without a call every relation that exists before a statement counts.
     */
    public void beginMigration() throws SQLException {
        preexisting = relations().keySet();
    }

    /** Names of the relations that count as pre-existing now (those at {@link #beginMigration}). */
    public Set<String> existing() throws SQLException {
        Map<Long, Relation> now = relations();
        if (preexisting != null) now.keySet().retainAll(preexisting);
        Set<String> out = new TreeSet<>();
        now.values().forEach(r -> out.add(r.name()));
        return out;
    }

    /**
     * Observes {@code sql}, then leaves its effect in place for the statements after it. It is
     * first run inside a transaction; one that PostgreSQL refuses there (SQLSTATE 25001, e.g.
     * {@code CONCURRENTLY}) is run once, for real.
     *
     * @param documented the locks the statement is documented to take, reported for one that ran
     *                   for real (its locks are gone when it returns)
     */
    public TraceFacts trace(String sql, List<TableLock> documented) throws SQLException {
        return trace(sql, documented, null);
    }

    /**
     * @param serverWide why the statement acts past the scratch database ({@link ServerWide}), or
     *                   {@code null}: such a statement is only observed in a transaction that is
     *                   rolled back, never run for real (one PostgreSQL refuses in a transaction
     *                   is not run at all and says why in its error)
     */
    TraceFacts trace(String sql, List<TableLock> documented, String serverWide) throws SQLException {
        Map<Long, Relation> before = relations();
        if (preexisting != null) before.keySet().retainAll(preexisting);
        TraceFacts facts = rolledBack(sql, before, serverWide == null);
        if (facts.error() != null && facts.error().endsWith("(SQLSTATE 25001)")) {
            if (serverWide != null) {
                return new TraceFacts(TraceFacts.How.ROLLED_BACK, List.of(), List.of(), List.of(), List.of(),
                        "not run on the trace server: " + serverWide);
            }
            return forReal(sql, before, documented);
        }
        return facts;
    }

    private TraceFacts rolledBack(String sql, Map<Long, Relation> before, boolean keep) throws SQLException {
        TraceFacts facts;
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            clearCapture(st);
            // the session's pending statistics may still hold counts of earlier transactions (15+
            // flushes them at most once a second): the statement's own scans are the difference
            Map<Long, Long> scansBefore = seqScans();
            try {
                st.execute(sql);
            } catch (SQLException e) {
                c.rollback();
                return new TraceFacts(TraceFacts.How.ROLLED_BACK, List.of(), List.of(), List.of(), List.of(), message(e));
            }
            List<String> scans = EMPTIES.matcher(sql).matches() ? List.of() : scans(before, scansBefore);
            facts = new TraceFacts(TraceFacts.How.ROLLED_BACK, locks(before), rewrites(sql, before), scans, commands(), null);
        } finally {
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
        // a server-wide statement's observation is all: its effect is not kept
        if (keep) replay(sql);
        return facts;
    }

    private TraceFacts forReal(String sql, Map<Long, Relation> before, List<TableLock> documented) throws SQLException {
        try (Statement st = c.createStatement()) {
            clearCapture(st);
            try {
                st.execute(sql);
            } catch (SQLException e) {
                return new TraceFacts(TraceFacts.How.RAN_FOR_REAL, List.of(), List.of(), List.of(), List.of(), message(e));
            }
        }
        // a concurrent build's scans are not in this session's transaction statistics: none reported
        return new TraceFacts(TraceFacts.How.RAN_FOR_REAL, documented, rewrites(sql, before), List.of(), commands(), null);
    }

    /** A pre-existing relation: its name then, kind and storage. */
    private record Relation(String name, char kind, long filenode) {}

    private Map<Long, Relation> relations() throws SQLException {
        Map<Long, Relation> out = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT c.oid, n.nspname || '.' || c.relname, "
                + "c.relkind, c.relfilenode FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema', '"
                + SCHEMA + "') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'")) {
            while (rs.next()) out.put(rs.getLong(1), new Relation(rs.getString(2), rs.getString(3).charAt(0), rs.getLong(4)));
        }
        return out;
    }

    private List<TableLock> locks(Map<Long, Relation> before) throws SQLException {
        Map<String, LockMode> strongest = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT relation::oid, mode FROM pg_locks "
                + "WHERE pid = pg_backend_pid() AND locktype = 'relation' AND relation IS NOT NULL AND granted")) {
            while (rs.next()) {
                Relation r = before.get(rs.getLong(1));
                if (r == null) continue;
                strongest.merge(r.name(), mode(rs.getString(2)), LockMode::stronger);
            }
        }
        List<TableLock> out = new ArrayList<>();
        new TreeSet<>(strongest.keySet()).forEach(name -> out.add(new TableLock(name, strongest.get(name))));
        return out;
    }

    private List<String> rewrites(String sql, Map<Long, Relation> before) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT relid FROM " + SCHEMA + ".rewrites")) {
            while (rs.next()) {
                Relation r = before.get(rs.getLong(1));
                if (r != null) out.add(r.name());
            }
        }
        // new storage without a table_rewrite event: VACUUM FULL, CLUSTER (or no event triggers);
        // TRUNCATE also gets new storage, empty: not a rewrite
        if (!EMPTIES.matcher(sql).matches()) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT oid, relfilenode FROM pg_class "
                    + "WHERE relkind IN ('r', 'm')")) {
                while (rs.next()) {
                    Relation r = before.get(rs.getLong(1));
                    if (r != null && r.filenode() != 0 && r.filenode() != rs.getLong(2)) out.add(r.name());
                }
            }
        }
        return new ArrayList<>(out);
    }

    private List<String> scans(Map<Long, Relation> before, Map<Long, Long> scansBefore) throws SQLException {
        Set<String> out = new TreeSet<>();
        seqScans().forEach((relid, n) -> {
            Relation r = before.get(relid);
            if (r != null && n > scansBefore.getOrDefault(relid, 0L)) out.add(r.name());
        });
        return new ArrayList<>(out);
    }

    private Map<Long, Long> seqScans() throws SQLException {
        Map<Long, Long> out = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT relid, seq_scan FROM "
                + "pg_stat_xact_user_tables WHERE seq_scan > 0")) {
            while (rs.next()) out.put(rs.getLong(1), rs.getLong(2));
        }
        return out;
    }

    private List<String> commands() throws SQLException {
        List<String> all = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT command_tag FROM " + SCHEMA
                + ".ddl ORDER BY seq")) {
            while (rs.next()) all.add(rs.getString(1));
        }
        return all;
    }

    private static LockMode mode(String pgName) {
        for (LockMode m : LockMode.values()) {
            if (m.pgName().equals(pgName)) return m;
        }
        throw new IllegalStateException("unknown lock mode in pg_locks: " + pgName);
    }

    /** Forgets what the event triggers recorded for the statement before. */
    private static void clearCapture(Statement st) throws SQLException {
        st.execute("DELETE FROM " + SCHEMA + ".ddl");
        st.execute("DELETE FROM " + SCHEMA + ".rewrites");
    }

    private static String message(SQLException e) {
        return firstLine(e) + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")");
    }

    /** The first line of PostgreSQL's message (its DETAIL and HINT follow on lines of their own). */
    static String firstLine(SQLException e) {
        String m = e.getMessage();
        return m == null ? e.toString() : m.lines().findFirst().orElse(m);
    }

    @Override
    public void close() throws SQLException {
        c.close();
    }
}
