package dev.tandem.state;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Tandem's own tables in the target database, schema {@code tandem}, created on first use and
 * versioned: {@code tandem.schema_version} holds one row per applied migration of the state
 * schema; {@link #migrate} applies the missing ones in order, each in a transaction with its
 * version row, so a re-run is a no-op and an interrupted one resumes. Callers hold the run lock
 * (dev.tandem.exec.RunLock), so two runners never migrate at once.
 */
public final class StateSchema {
    public static final String SCHEMA = "tandem";

    /** A migration of the state schema: SQL statements run in one transaction. */
    record Migration(int version, String description, String sql) {}

    static final List<Migration> MIGRATIONS = List.of(new Migration(1, "releases, steps, backfill checkpoints, events", """
            CREATE TABLE tandem.releases (
                id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                fingerprint text NOT NULL,
                migrations  jsonb NOT NULL,
                status      text NOT NULL CHECK (status IN ('running', 'stopped', 'failed', 'done', 'rolled_back')),
                created_at  timestamptz NOT NULL,
                started_at  timestamptz,
                finished_at timestamptz
            );
            CREATE INDEX releases_fingerprint ON tandem.releases (fingerprint);
            CREATE TABLE tandem.steps (
                id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                release_id    bigint NOT NULL REFERENCES tandem.releases ON DELETE CASCADE,
                phase         text NOT NULL CHECK (phase IN ('expand', 'backfill', 'contract')),
                ordinal       int NOT NULL,
                migration     text NOT NULL,
                line          int NOT NULL,
                kind          text NOT NULL CHECK (kind IN ('ddl', 'concurrent', 'validate', 'backfill')),
                transactional boolean NOT NULL,
                sql           text NOT NULL,
                rollback      text,
                irreversible  text,
                content_hash  text NOT NULL,
                status        text NOT NULL DEFAULT 'pending'
                              CHECK (status IN ('pending', 'running', 'done', 'skipped', 'failed', 'rolled_back')),
                attempts      int NOT NULL DEFAULT 0,
                last_error    text,
                last_sqlstate text,
                only_if       boolean,
                started_at    timestamptz,
                finished_at   timestamptz,
                UNIQUE (release_id, phase, ordinal)
            );
            CREATE TABLE tandem.backfill_checkpoints (
                step_id    bigint PRIMARY KEY REFERENCES tandem.steps ON DELETE CASCADE,
                last_key   jsonb,
                max_key    jsonb,
                rows_done  bigint NOT NULL DEFAULT 0,
                batches    bigint NOT NULL DEFAULT 0,
                updated_at timestamptz NOT NULL
            );
            CREATE TABLE tandem.events (
                id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                release_id bigint NOT NULL REFERENCES tandem.releases ON DELETE CASCADE,
                step_id    bigint REFERENCES tandem.steps ON DELETE CASCADE,
                at         timestamptz NOT NULL,
                type       text NOT NULL,
                detail     jsonb NOT NULL DEFAULT '{}'
            );
            CREATE INDEX events_release ON tandem.events (release_id, id)
            """), new Migration(2, "the plan and the migration checksums of each release", """
            ALTER TABLE tandem.releases ADD COLUMN plan jsonb, ADD COLUMN sources jsonb NOT NULL DEFAULT '[]'
            """), new Migration(3, "adaptive, throttled backfills: batch size, progress, operator control", """
            ALTER TABLE tandem.backfill_checkpoints
                ADD COLUMN batch_size      int,
                ADD COLUMN definition      text,
                ADD COLUMN rows_estimate   bigint,
                ADD COLUMN rows_per_second double precision,
                ADD COLUMN throttled_ms    bigint NOT NULL DEFAULT 0,
                ADD COLUMN waiting_for     text,
                ADD COLUMN started_at      timestamptz;
            CREATE TABLE tandem.backfill_control (
                singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
                release_id bigint REFERENCES tandem.releases ON DELETE CASCADE,
                paused     boolean NOT NULL DEFAULT false,
                settings   jsonb NOT NULL DEFAULT '{}',
                changed_by text,
                changed_at timestamptz NOT NULL,
                version    bigint NOT NULL DEFAULT 0,
                acked      bigint NOT NULL DEFAULT 0,
                applied    jsonb NOT NULL DEFAULT '{}',
                refused    text
            )
            """));

    private StateSchema() {}

    /** The state schema version this build writes. */
    public static int latestVersion() {
        return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
    }

    /**
     * Creates or upgrades the state schema; the connection must be in autocommit and its session
     * must hold the run lock. Returns how many migrations it applied (0 on a re-run).
     */
    public static int migrate(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            st.execute("CREATE TABLE IF NOT EXISTS tandem.schema_version ("
                    + "version int PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        }
        int current = currentVersion(c);
        if (current > latestVersion()) {
            throw new TandemException(ErrorCode.DATABASE_UNAVAILABLE, "the tandem state schema of this database is version "
                    + current + ", newer than this migrate understands (" + latestVersion() + "): use a newer migrate");
        }
        int applied = 0;
        for (Migration m : MIGRATIONS) {
            if (m.version() <= current) continue;
            c.setAutoCommit(false);
            try (Statement st = c.createStatement();
                    PreparedStatement ins = c.prepareStatement(
                            "INSERT INTO tandem.schema_version (version, description) VALUES (?, ?)")) {
                st.execute(m.sql());
                ins.setInt(1, m.version());
                ins.setString(2, m.description());
                ins.executeUpdate();
                c.commit();
                applied++;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        return applied;
    }

    /** The applied version, 0 when the state schema does not exist yet. */
    public static int currentVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT to_regclass('tandem.schema_version') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) return 0;
        }
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM tandem.schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
