package dev.tandem.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import dev.tandem.sql.QualifiedName;
import dev.tandem.testing.PostgresExtension;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(PostgresExtension.class)
class LiveCatalogReaderTest {

    private static final QualifiedName ORDERS = QualifiedName.of("public", "orders");
    private static final QualifiedName CUSTOMERS = QualifiedName.of("public", "customers");

    private static void execute(TestDatabase db, String... statements) throws SQLException {
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            for (String sql : statements) st.execute(sql);
        }
    }

    private static long scalar(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static LiveCatalog read(TestDatabase db) {
        return LiveCatalogReader.read(db.jdbcUrl(), db.user(), db.password());
    }

    private static TableInfo table(LiveCatalog live, String schema, String name) {
        return live.schema().table(QualifiedName.of(schema, name))
                .orElseThrow(() -> new AssertionError("no table " + schema + "." + name));
    }

    /** One line per column, so a mismatch shows the whole column. */
    private static List<String> describeColumns(TableInfo t) {
        return t.columns().stream().map(c -> c.name() + " " + c.type().display()
                + (c.notNull() ? " not null" : "")
                + (c.defaultValue() == null ? "" : " default " + c.defaultValue().text() + " " + c.defaultValue().functions())
                + (c.identity() ? " identity" : "")
                + (c.generated() ? " generated" : "")).toList();
    }

    /** All but NOT_NULL constraints, which only PostgreSQL 18+ catalogues (checked separately). */
    private static List<String> describeConstraints(TableInfo t) {
        return t.constraints().stream().filter(c -> c.kind() != ConstraintInfo.Kind.NOT_NULL)
                .map(c -> c.name() + " " + c.kind() + " " + c.columns()
                + (c.check() == null ? "" : " check(" + c.check().text() + ")")
                + (c.refTable() == null ? "" : " -> " + c.refTable().display())
                + (c.validated() ? "" : " NOT VALID")
                + (c.index() == null ? "" : " index " + c.index())).toList();
    }

    private static final String[] SHOP = {
        "CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped')",
        // Added out of order: labels must come back in enumsortorder, not insertion order.
        "ALTER TYPE order_status ADD VALUE 'cancelled' BEFORE 'shipped'",
        """
        CREATE TABLE customers (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            email varchar(100) NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now())""",
        "CREATE UNIQUE INDEX customers_email_key ON customers (lower(email))",
        """
        CREATE TABLE orders (
            id serial PRIMARY KEY,
            customer_id bigint NOT NULL REFERENCES customers (id),
            total numeric(10,2) NOT NULL DEFAULT 0,
            status order_status NOT NULL DEFAULT 'new',
            total_cents bigint GENERATED ALWAYS AS ((total * 100)::bigint) STORED,
            placed_at timestamp(3) with time zone,
            tags integer[],
            note text)""",
        "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID",
        "ALTER TABLE orders ADD CONSTRAINT orders_note_short CHECK (length(note) < 500)",
        "CREATE INDEX orders_open_idx ON orders (placed_at, customer_id) INCLUDE (total) WHERE status <> 'shipped'",
        "CREATE UNLOGGED TABLE cache (k text PRIMARY KEY, v jsonb)",
        "CREATE TABLE events (id bigint NOT NULL, at timestamptz NOT NULL, payload jsonb) PARTITION BY RANGE (at)",
        "CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
        "CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
        "CREATE VIEW open_orders AS SELECT id, total FROM orders WHERE status <> 'shipped'",
        "CREATE MATERIALIZED VIEW order_totals AS SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id",
        "CREATE SCHEMA app",
        "CREATE TYPE app.mood AS ENUM ('ok', 'meh')",
        "CREATE TABLE app.settings (key text PRIMARY KEY, mood app.mood, \"Display Name\" text UNIQUE)",
        "CREATE INDEX orders_mixed_idx ON orders (customer_id, lower(note), id)",
        // Tandem's own state never shows up as a user table.
        "CREATE SCHEMA tandem",
        "CREATE TABLE tandem.runs (id int)",
        "CREATE TABLE dupes (code text)",
        "INSERT INTO dupes VALUES ('a'), ('a')",
    };

    /** A failed CREATE UNIQUE INDEX CONCURRENTLY leaves its index behind, INVALID. */
    private static void createInvalidIndex(TestDatabase db) throws SQLException {
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute("CREATE UNIQUE INDEX CONCURRENTLY dupes_code_key ON dupes (code)"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("could not create unique index");
        }
    }

    @Test
    void readsTablesColumnsConstraintsIndexesAndEnumTypes(TestDatabase db) throws SQLException {
        execute(db, SHOP);
        createInvalidIndex(db);

        LiveCatalog live = read(db);
        SchemaModel schema = live.schema();

        assertThat(schema.isLive()).isTrue();
        assertThat(schema.tables()).extracting(t -> t.name().display() + " " + t.kind()).containsExactly(
                "app.settings TABLE",
                "public.cache TABLE",
                "public.customers TABLE",
                "public.dupes TABLE",
                "public.events PARTITIONED_TABLE",
                "public.events_2024 TABLE",
                "public.events_2025 TABLE",
                "public.open_orders VIEW",
                "public.order_totals MATERIALIZED_VIEW",
                "public.orders TABLE");

        assertThat(describeColumns(table(live, "public", "orders"))).containsExactly(
                "id integer not null default nextval('orders_id_seq'::regclass) [nextval]",
                "customer_id bigint not null",
                "total numeric(10,2) not null default 0 []",
                "status order_status not null default 'new'::order_status []",
                "total_cents bigint generated",
                "placed_at timestamptz(3)",
                "tags integer[]",
                "note text");
        assertThat(describeColumns(table(live, "public", "customers"))).containsExactly(
                "id bigint not null identity",
                "email varchar(100) not null",
                "created_at timestamptz not null default now() [now]");
        assertThat(describeColumns(table(live, "app", "settings"))).containsExactly(
                "key text not null",
                "mood app.mood",
                "Display Name text");
        // Names as the parser normalises identifiers: unquoted, case kept.
        assertThat(describeConstraints(table(live, "app", "settings"))).containsExactly(
                "settings_Display Name_key UNIQUE [Display Name] index settings_Display Name_key",
                "settings_pkey PRIMARY_KEY [key] index settings_pkey");
        assertThat(schema.index(QualifiedName.of("app", "settings_Display Name_key")).orElseThrow().elements())
                .containsExactly("Display Name");
        assertThat(describeColumns(table(live, "public", "open_orders"))).containsExactly(
                "id integer",
                "total numeric(10,2)");

        assertThat(describeConstraints(table(live, "public", "orders"))).containsExactly(
                "orders_customer_id_fkey FOREIGN_KEY [customer_id] -> public.customers",
                "orders_note_short CHECK [note] check(length(note) < 500)",
                "orders_pkey PRIMARY_KEY [id] index orders_pkey",
                "orders_total_positive CHECK [total] check(total >= 0::numeric) NOT VALID");
        // PostgreSQL 18 catalogues NOT NULL as constraints (contype 'n'); earlier versions do not.
        List<String> notNullConstraints = table(live, "public", "orders").constraints().stream()
                .filter(c -> c.kind() == ConstraintInfo.Kind.NOT_NULL)
                .map(c -> String.join(",", c.columns())).toList();
        if (live.serverMajor() >= 18) {
            assertThat(notNullConstraints).containsExactlyInAnyOrder("id", "customer_id", "total", "status");
        } else {
            assertThat(notNullConstraints).isEmpty();
        }
        assertThat(table(live, "public", "orders").constraint("orders_note_short").orElseThrow().check().functions())
                .containsExactly("length");
        assertThat(describeConstraints(table(live, "public", "customers")))
                .containsExactly("customers_pkey PRIMARY_KEY [id] index customers_pkey");
        assertThat(schema.referencing(CUSTOMERS)).extracting(TableInfo::name).containsExactly(ORDERS);

        assertThat(schema.indexesOn(ORDERS)).containsExactlyInAnyOrder(
                new IndexInfo(QualifiedName.of("public", "orders_mixed_idx"), ORDERS, false, false, true,
                        List.of("customer_id", "lower(note)", "id"), null),
                new IndexInfo(QualifiedName.of("public", "orders_open_idx"), ORDERS, false, false, true,
                        List.of("placed_at", "customer_id"), "status <> 'shipped'::order_status"),
                new IndexInfo(QualifiedName.of("public", "orders_pkey"), ORDERS, true, true, true,
                        List.of("id"), null));
        assertThat(schema.index(QualifiedName.of("public", "customers_email_key"))).contains(
                new IndexInfo(QualifiedName.of("public", "customers_email_key"), CUSTOMERS, true, false, true,
                        List.of("lower(email::text)"), null));
        assertThat(schema.index(QualifiedName.of("public", "dupes_code_key"))).contains(
                new IndexInfo(QualifiedName.of("public", "dupes_code_key"), QualifiedName.of("public", "dupes"),
                        true, false, false, List.of("code"), null));

        assertThat(table(live, "public", "cache").unlogged()).isTrue();
        assertThat(table(live, "public", "orders").unlogged()).isFalse();
        assertThat(table(live, "public", "events_2024").partitionOf()).isEqualTo(QualifiedName.of("public", "events"));
        assertThat(table(live, "public", "events").partitionOf()).isNull();
        assertThat(table(live, "public", "events_2024").partitionBound()).startsWith("FOR VALUES FROM ('2024-01-01");
        assertThat(table(live, "public", "events").partitionBound()).isNull();
        // the rules compare SET ACCESS METHOD / SET TABLESPACE with these: a table in the database's
        // default tablespace is named after it, not left null
        assertThat(table(live, "public", "orders").accessMethod()).isEqualTo("heap");
        assertThat(table(live, "public", "orders").tablespace()).isEqualTo("pg_default");
        assertThat(live.session()).containsKey("timezone");
        assertThat(schema.partitionsOf(QualifiedName.of("public", "events"))).extracting(t -> t.name().name())
                .containsExactly("events_2024", "events_2025");

        assertThat(schema.enumType(QualifiedName.of("public", "order_status")))
                .contains(List.of("new", "paid", "cancelled", "shipped"));
        assertThat(schema.enumType(QualifiedName.of("app", "mood"))).contains(List.of("ok", "meh"));

        assertThat(schema.table(QualifiedName.of("tandem", "runs"))).isEmpty();
        assertThat(schema.table(QualifiedName.of("pg_catalog", "pg_class"))).isEmpty();
        assertThat(schema.tables()).noneMatch(t -> t.name().schema().equals("information_schema"));

        assertThat(live.serverVersionNum()).isEqualTo(db.harness().serverVersionNum());
        assertThat(live.serverVersion()).isEqualTo(db.harness().serverVersion());
        assertThat(live.serverMajor()).isEqualTo(db.harness().serverVersionNum() / 10000);
        assertThat(live.pgVersion().major()).isEqualTo(live.serverMajor());
        assertThat(live.flyway().present()).isFalse();
        assertThat(live.liquibase().present()).isFalse();
        assertThat(live.appliedFlywayVersions()).isEmpty();
        assertThat(live.appliedLiquibaseChangeSets()).isEmpty();
    }

    @Test
    void sizesComeFromStatisticsAndRealRelationSizes(TestDatabase db) throws SQLException {
        execute(db,
                "CREATE TABLE analysed (id int PRIMARY KEY, body text)",
                "INSERT INTO analysed SELECT g, repeat('x', 100) FROM generate_series(1, 1000) g",
                "ANALYZE analysed",
                // Ten rows stay below every autovacuum/autoanalyze threshold: never analysed.
                "CREATE TABLE fresh (id int)",
                "INSERT INTO fresh SELECT generate_series(1, 10)",
                "CREATE TABLE empty (id int)",
                "CREATE TABLE events (id int, at date NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE events_a PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "CREATE TABLE events_b PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                "INSERT INTO events VALUES (1, '2024-05-01'), (2, '2024-06-01'), (3, '2024-07-01'), (4, '2025-01-02'), (5, '2025-02-02')",
                "ANALYZE events",
                "CREATE VIEW v AS SELECT 1 AS one",
                "CREATE MATERIALIZED VIEW mv AS SELECT g FROM generate_series(1, 5) g",
                "ANALYZE mv");

        LiveCatalog live = read(db);

        TableInfo analysed = table(live, "public", "analysed");
        assertThat(analysed.estimatedRows()).contains(1000L);
        assertThat(analysed.totalBytes()).contains(scalar(db, "SELECT pg_total_relation_size('analysed')"));
        assertThat(analysed.totalBytes().orElseThrow())
                .isGreaterThan(scalar(db, "SELECT pg_relation_size('analysed')")); // includes the index

        // Data the statistics do not know about: an unknown count, never "empty".
        TableInfo fresh = table(live, "public", "fresh");
        assertThat(fresh.estimatedRows()).isEmpty();
        assertThat(fresh.totalBytes()).contains(scalar(db, "SELECT pg_total_relation_size('fresh')"));

        assertThat(table(live, "public", "empty").estimatedRows()).contains(0L);
        assertThat(table(live, "public", "empty").totalBytes()).contains(0L);

        TableInfo events = table(live, "public", "events");
        assertThat(table(live, "public", "events_a").estimatedRows()).contains(3L);
        assertThat(table(live, "public", "events_b").estimatedRows()).contains(2L);
        assertThat(events.estimatedRows()).contains(5L);
        assertThat(events.totalBytes()).contains(scalar(db,
                "SELECT pg_total_relation_size('events_a') + pg_total_relation_size('events_b')"));

        assertThat(table(live, "public", "v").estimatedRows()).isEmpty();
        assertThat(table(live, "public", "v").totalBytes()).isEmpty();
        assertThat(table(live, "public", "mv").estimatedRows()).contains(5L);
        assertThat(table(live, "public", "mv").totalBytes()).contains(scalar(db, "SELECT pg_total_relation_size('mv')"));
    }

    @Test
    void flywayHistoryOfARealFlywayRun(TestDatabase db, @TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("V1__init.sql"), "CREATE TABLE a (id int);");
        Files.writeString(dir.resolve("V2__more.sql"), "CREATE TABLE b (id int);");
        Files.writeString(dir.resolve("V4_113__underscored.sql"), "CREATE TABLE c (id int);");
        Files.writeString(dir.resolve("R__view.sql"), "CREATE OR REPLACE VIEW va AS SELECT * FROM a;");
        Flyway.configure()
                .dataSource(db.jdbcUrl(), db.user(), db.password())
                .locations("filesystem:" + dir)
                .load()
                .migrate();

        LiveCatalog live = read(db);

        FlywayHistory flyway = live.flyway();
        assertThat(flyway.table()).isEqualTo(QualifiedName.of("public", "flyway_schema_history"));
        assertThat(flyway.appliedVersions()).containsExactlyInAnyOrder("1", "2", "4.113");
        assertThat(live.appliedFlywayVersions()).isEqualTo(flyway.appliedVersions());
        assertThat(flyway.baselineVersion()).isNull();
        assertThat(flyway.failedVersions()).isEmpty();
        assertThat(flyway.isApplied("1")).isTrue();
        assertThat(flyway.isApplied("1.0")).isTrue();
        assertThat(flyway.isApplied("4_113")).isTrue();
        assertThat(flyway.isApplied("4.113")).isTrue();
        assertThat(flyway.isApplied("3")).isFalse();
        assertThat(flyway.isApplied("4.12")).isFalse();
        assertThat(flyway.isApplied(null)).isFalse();
        // The migrated schema is the live schema: its tables are pre-existing for the next plan.
        assertThat(live.schema().table(QualifiedName.of("a"))).isPresent();
        assertThat(live.schema().table(QualifiedName.of("va")).orElseThrow().kind()).isEqualTo(RelationKind.VIEW);
    }

    /** Flyway's own DDL for its history table (PostgreSQL). */
    private static String flywayTable(String qualified) {
        return "CREATE TABLE " + qualified + " (installed_rank int NOT NULL PRIMARY KEY, version varchar(50),"
                + " description varchar(200) NOT NULL, type varchar(20) NOT NULL, script varchar(1000) NOT NULL,"
                + " checksum int, installed_by varchar(100) NOT NULL, installed_on timestamp NOT NULL DEFAULT now(),"
                + " execution_time int NOT NULL, success boolean NOT NULL)";
    }

    @Test
    void flywayBaselineDeletedUndoneAndFailedRowsInAnotherSchema(TestDatabase db) throws SQLException {
        execute(db,
                "CREATE SCHEMA ops",
                flywayTable("ops.schema_history"),
                """
                INSERT INTO ops.schema_history (installed_rank, version, description, type, script, checksum,
                                                installed_by, execution_time, success) VALUES
                  (1, '1', '<< Flyway Baseline >>', 'BASELINE', '<< Flyway Baseline >>', NULL, 'ci', 0, true),
                  (2, '2', 'a', 'SQL', 'V2__a.sql', 11, 'ci', 5, true),
                  (3, '3', 'b', 'SQL', 'V3__b.sql', 12, 'ci', 5, true),
                  (4, '3', 'b', 'DELETE', 'V3__b.sql', 12, 'ci', 0, true),
                  (5, '2', 'a', 'UNDO_SQL', 'U2__a.sql', 13, 'ci', 5, true),
                  (6, '5', 'concurrent index', 'SQL', 'V5__concurrent_index.sql', 14, 'ci', 5, false),
                  (7, '6', 'c', 'SQL', 'V6__c.sql', 15, 'ci', 5, true),
                  (8, NULL, 'views', 'SQL', 'R__views.sql', 16, 'ci', 5, true)""");

        // Not in the default schema: without the option there is no history.
        assertThat(read(db).flyway().present()).isFalse();
        LiveCatalog nowhere = LiveCatalogReader.read(db.jdbcUrl(), db.user(), db.password(),
                LiveCatalogReader.Options.DEFAULTS.withHistorySchema("no_such_schema"));
        assertThat(nowhere.flyway().present()).isFalse();
        assertThat(nowhere.liquibase().present()).isFalse();

        LiveCatalog live = LiveCatalogReader.read(db.jdbcUrl(), db.user(), db.password(),
                LiveCatalogReader.Options.DEFAULTS.withHistorySchema("ops").withFlywayTable("schema_history"));

        FlywayHistory flyway = live.flyway();
        assertThat(flyway.table()).isEqualTo(QualifiedName.of("ops", "schema_history"));
        assertThat(flyway.appliedVersions()).containsExactlyInAnyOrder("1", "6");
        assertThat(flyway.baselineVersion()).isEqualTo("1");
        assertThat(flyway.failedVersions()).containsExactly("5");
        assertThat(flyway.isApplied("0.9")).as("below the baseline").isTrue();
        assertThat(flyway.isApplied("1")).isTrue();
        assertThat(flyway.isApplied("2")).as("undone").isFalse();
        assertThat(flyway.isApplied("3")).as("deleted by repair").isFalse();
        assertThat(flyway.isApplied("5")).as("failed").isFalse();
        assertThat(flyway.isApplied("6")).isTrue();
    }

    @Test
    void liquibaseChangeLogRowsBecomeKeysInLiquibasesOwnForm(TestDatabase db) throws SQLException {
        execute(db,
                // Liquibase's own DDL for the table on PostgreSQL.
                """
                CREATE TABLE databasechangelog (id varchar(255) NOT NULL, author varchar(255) NOT NULL,
                    filename varchar(255) NOT NULL, dateexecuted timestamp NOT NULL, orderexecuted int NOT NULL,
                    exectype varchar(10) NOT NULL, md5sum varchar(35), description varchar(255),
                    comments varchar(255), tag varchar(255), liquibase varchar(20), contexts varchar(255),
                    labels varchar(255), deployment_id varchar(10))""",
                """
                INSERT INTO databasechangelog (id, author, filename, dateexecuted, orderexecuted, exectype) VALUES
                  ('1', 'alice', 'db/changelog/db.changelog-master.yaml', now(), 1, 'EXECUTED'),
                  ('create-orders', 'bob', 'classpath:db/changelog/002-orders.xml', now(), 2, 'EXECUTED'),
                  ('legacy', 'carol', '/db/changelog/003.sql', now(), 3, 'MARK_RAN')""");

        LiveCatalog live = read(db);

        LiquibaseHistory liquibase = live.liquibase();
        assertThat(liquibase.table()).isEqualTo(QualifiedName.of("public", "databasechangelog"));
        assertThat(live.appliedLiquibaseChangeSets()).containsExactlyInAnyOrder(
                "db/changelog/db.changelog-master.yaml::1::alice",
                "db/changelog/002-orders.xml::create-orders::bob",
                "db/changelog/003.sql::legacy::carol");
        assertThat(liquibase.isApplied("1", "alice", "db/changelog/db.changelog-master.yaml")).isTrue();
        assertThat(liquibase.isApplied("create-orders", "BOB", "db/changelog/002-orders.xml")).isTrue();
        assertThat(liquibase.isApplied("legacy", "carol", "classpath:/db/changelog/003.sql")).isTrue();
        assertThat(liquibase.isApplied("2", "alice", "db/changelog/db.changelog-master.yaml")).isFalse();
        assertThat(liquibase.isApplied("1", "alice", "db/changelog/other.yaml")).isFalse();
        assertThat(live.flyway().present()).isFalse();
    }

    @Test
    void aMissingServerIsDatabaseUnavailableWithoutThePassword() {
        // Port 1 on the loopback: nothing listens, the connection is refused at once.
        assertThatThrownBy(() -> LiveCatalogReader.read("postgresql://tandem:s3cret-pw@127.0.0.1:1/shop", null, null))
                .isInstanceOfSatisfying(TandemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_UNAVAILABLE);
                    assertThat(e.getMessage())
                            .startsWith("cannot connect to jdbc:postgresql://127.0.0.1:1/shop?user=tandem: ")
                            .contains("check that PostgreSQL runs at that host and port")
                            .doesNotContain("s3cret-pw");
                });
        assertThatThrownBy(() -> LiveCatalogReader.read(
                        "jdbc:postgresql://127.0.0.1:1/shop?password=s3cret-pw&sslmode=disable", "tandem", "other-pw"))
                .isInstanceOfSatisfying(TandemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_UNAVAILABLE);
                    assertThat(e.getMessage()).startsWith("cannot connect to jdbc:postgresql://127.0.0.1:1/shop?sslmode=disable: ")
                            .doesNotContain("s3cret-pw").doesNotContain("other-pw");
                });
    }

    @Test
    void aMissingDatabaseSaysSo(TestDatabase db) {
        String url = db.jdbcUrl().replace(db.name(), db.name() + "_missing");
        assertThatThrownBy(() -> LiveCatalogReader.read(url, db.user(), db.password()))
                .isInstanceOfSatisfying(TandemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_UNAVAILABLE);
                    assertThat(e.getMessage()).contains(db.name() + "_missing", "check the database name");
                });
    }

    @Test
    void aLibpqUrlReadsTheSameDatabase(TestDatabase db) throws SQLException {
        execute(db, "CREATE TABLE t (id int)");
        String libpq = "postgresql://" + db.user() + "@" + db.jdbcUrl().substring("jdbc:postgresql://".length());
        LiveCatalog live = LiveCatalogReader.read(libpq, null, db.password());
        assertThat(live.schema().tables()).extracting(t -> t.name().display()).containsExactly("public.t");
    }

    @Test
    void aTableLockedByARunningMigrationFailsTheReadNamingTheTable(TestDatabase db) throws SQLException {
        execute(db, "CREATE TABLE busy (id int DEFAULT 1)", "CREATE TABLE calm (id int)");
        try (Connection migration = db.connection(); Statement st = migration.createStatement()) {
            migration.setAutoCommit(false);
            st.execute("LOCK TABLE busy IN ACCESS EXCLUSIVE MODE");

            LiveCatalogReader.Options quick = LiveCatalogReader.Options.DEFAULTS.withLockTimeout(Duration.ofMillis(100));
            assertThatThrownBy(() -> LiveCatalogReader.read(db.jdbcUrl(), db.user(), db.password(), quick))
                    .isInstanceOfSatisfying(TandemException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_UNAVAILABLE);
                        assertThat(e.getMessage()).contains("a lock on busy", "AccessExclusiveLock", "run again");
                    });
            migration.rollback();
        }
        assertThat(read(db).schema().table(QualifiedName.of("busy"))).isPresent();
    }

    @Test
    void readingThroughTheCallersConnectionLeavesItAsItWas(TestDatabase db) throws SQLException {
        execute(db, "CREATE SCHEMA app", "CREATE TABLE app.t (id int)");
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            st.execute("SET search_path = app, public");
            st.execute("SET lock_timeout = '42s'");

            LiveCatalog live = LiveCatalogReader.read(c, LiveCatalogReader.Options.DEFAULTS);
            assertThat(live.schema().table(QualifiedName.of("app", "t"))).isPresent();
            assertThat(c.getAutoCommit()).isTrue();
            assertThat(c.isClosed()).isFalse();
            assertThat(setting(c, "search_path")).isEqualTo("app, public");
            assertThat(setting(c, "lock_timeout")).isEqualTo("42s");

            // Inside the caller's transaction: read there, settings restored, transaction still usable.
            c.setAutoCommit(false);
            st.execute("CREATE TABLE app.u (id int)");
            LiveCatalog inTx = LiveCatalogReader.read(c, LiveCatalogReader.Options.DEFAULTS);
            assertThat(inTx.schema().table(QualifiedName.of("app", "u"))).as("sees its own transaction").isPresent();
            assertThat(setting(c, "search_path")).isEqualTo("app, public");
            assertThat(setting(c, "lock_timeout")).isEqualTo("42s");
            c.rollback();
        }
    }

    private static String setting(Connection c, String name) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_setting('" + name + "')")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
