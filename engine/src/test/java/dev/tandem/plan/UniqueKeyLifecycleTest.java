package dev.tandem.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** {@link UniqueKeyRecipe} on a real PostgreSQL: concurrent unique index, then USING INDEX. */
class UniqueKeyLifecycleTest {

    private static final String USERS = """
            CREATE TABLE users (id bigint, email text, tenant int NOT NULL DEFAULT 1);
            INSERT INTO users SELECT i, 'u' || i || '@example.com', 1 FROM generate_series(1, 30) i;
            """;

    @Test
    void uniqueConstraintIsBuiltConcurrentlyAndAdopted() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(USERS)
                .migration("ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);")
                .oldApp("INSERT INTO users SELECT max(id) + 1, 'old' || max(id) || '@example.com' FROM users")
                .newApp("INSERT INTO users SELECT max(id) + 1, 'new' || max(id) || '@example.com' FROM users")
                .run();

        assertThat(Plans.sql(r.plan(), Phase.EXPAND)).containsExactly(
                "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_key ON users (email)",
                "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key");
        assertThat(r.after().constraints()).contains("public.users users_email_key UNIQUE (email)");
    }

    @Test
    void unnamedMultiColumnUniqueWithNullsNotDistinctAndDeferral() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(USERS)
                .migration("ALTER TABLE users ADD UNIQUE NULLS NOT DISTINCT (tenant, email) DEFERRABLE;")
                .oldApp("INSERT INTO users SELECT max(id) + 1, 'old' || max(id) || '@example.com' FROM users")
                .newApp("INSERT INTO users SELECT max(id) + 1, 'new' || max(id) || '@example.com' FROM users")
                .run();

        assertThat(Plans.sql(r.plan(), Phase.EXPAND)).containsExactly(
                "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_tenant_email_key ON users (tenant, email) NULLS NOT DISTINCT",
                "ALTER TABLE users ADD CONSTRAINT users_tenant_email_key UNIQUE USING INDEX users_tenant_email_key DEFERRABLE");
    }

    @Test
    void primaryKeyOnANullableColumnIsProvenNotNullWithoutAScan() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(USERS)
                .migration("ALTER TABLE users ADD PRIMARY KEY (id);")
                .oldApp("INSERT INTO users SELECT max(id) + 1, 'old@example.com' FROM users", "SELECT * FROM users WHERE id = 3")
                .newApp("INSERT INTO users SELECT max(id) + 1, 'new@example.com' FROM users")
                .debug()
                .run();

        assertThat(Plans.sql(r.plan(), Phase.EXPAND)).containsExactly(
                "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_pkey ON users (id)",
                "ALTER TABLE users ADD CONSTRAINT users_id_not_null_tandem CHECK (id IS NOT NULL) NOT VALID",
                "ALTER TABLE users VALIDATE CONSTRAINT users_id_not_null_tandem",
                "ALTER TABLE users ALTER COLUMN id SET NOT NULL",
                "ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey",
                "ALTER TABLE users DROP CONSTRAINT IF EXISTS users_id_not_null_tandem");
        // The validated CHECK let PostgreSQL skip the scan that SET NOT NULL would do.
        assertThat(r.messages()).contains(
                "existing constraints on column \"users.id\" are sufficient to prove that it does not contain nulls");
        assertThat(r.after().constraints()).contains("public.users users_pkey PRIMARY KEY (id)");
        assertThat(r.after().columns()).contains("public.users #1 id bigint NOT NULL");
    }

    @Test
    void primaryKeyOnNotNullColumnsNeedsNoHelper() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(USERS + "UPDATE users SET email = 'x' || id; ALTER TABLE users ALTER COLUMN email SET NOT NULL;")
                .migration("ALTER TABLE users ADD CONSTRAINT users_pk PRIMARY KEY (tenant, email);")
                .oldApp("INSERT INTO users SELECT max(id) + 1, 'old@example.com' FROM users")
                .run();

        assertThat(Plans.sql(r.plan(), Phase.EXPAND)).containsExactly(
                "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_pk ON users (tenant, email)",
                "ALTER TABLE users ADD CONSTRAINT users_pk PRIMARY KEY USING INDEX users_pk");
    }

    @Test
    void primaryKeyUsingAnExistingIndexOnANullableColumn() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(USERS + "CREATE UNIQUE INDEX users_id_idx ON users (id);")
                .migration("ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_idx;")
                .oldApp("INSERT INTO users SELECT max(id) + 1, 'old@example.com' FROM users")
                .newApp("INSERT INTO users SELECT max(id) + 1, 'new@example.com' FROM users")
                .debug()
                // dropping the key again would drop the index it adopted, which existed before
                .withoutRollback()
                .run();

        assertThat(Plans.sql(r.plan(), Phase.EXPAND)).containsExactly(
                "ALTER TABLE users ADD CONSTRAINT users_id_not_null_tandem CHECK (id IS NOT NULL) NOT VALID",
                "ALTER TABLE users VALIDATE CONSTRAINT users_id_not_null_tandem",
                "ALTER TABLE users ALTER COLUMN id SET NOT NULL",
                "ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_idx",
                "ALTER TABLE users DROP CONSTRAINT IF EXISTS users_id_not_null_tandem");
        assertThat(r.messages()).contains(
                "existing constraints on column \"users.id\" are sufficient to prove that it does not contain nulls");
        assertThat(Plans.sqlSteps(r.plan(), Phase.EXPAND).get(3).irreversible()).contains("users_id_idx");
    }
}
