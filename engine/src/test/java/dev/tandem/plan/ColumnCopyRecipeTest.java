package dev.tandem.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.classify.PgVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Offline shapes of {@link RenameColumnRecipe} and {@link TypeChangeRecipe} ({@link ColumnCopy}):
 * exact SQL per phase, reversibility, and the refusals (proven on the server by
 * {@link RenameColumnLifecycleTest} and {@link TypeChangeLifecycleTest}).
 */
class ColumnCopyRecipeTest {
    static final String GIVEN = """
            CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, name text NOT NULL,
                                    nick varchar(40), seen timestamp, score int CHECK (score > 0),
                                    serial_no serial, ident int GENERATED ALWAYS AS IDENTITY);
            CREATE INDEX customers_nick_idx ON customers (nick);
            CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id), note text);
            CREATE TABLE heap (msg text);
            CREATE TABLE events (id int, at timestamp) PARTITION BY RANGE (id);
            """;

    private static ReleasePlan plan(String... scripts) {
        return Plans.offline(GIVEN, scripts);
    }

    private static Unplanned unplanned(String script) {
        return Plans.onlyUnplanned(plan(script));
    }

    @Test
    void renameCopiesTheColumnKeepsBothInStepAndDropsTheOldOneInContract() {
        ReleasePlan p = plan("ALTER TABLE customers RENAME COLUMN name TO full_name;");
        assertThat(p.unplanned()).isEmpty();
        assertThat(Plans.sql(p, Phase.EXPAND)).containsExactly(
                RenameColumnRecipe.collationGuard(dev.tandem.sql.QualifiedName.of(null, "customers"), "name") + ";\n"
                        + "ALTER TABLE customers ADD COLUMN full_name text",
                "CREATE FUNCTION customers_name_rename_tandem() RETURNS trigger LANGUAGE plpgsql AS $tandem$BEGIN IF TG_OP = 'INSERT'"
                        + " THEN IF NEW.full_name IS NOT NULL THEN NEW.name := NEW.full_name; ELSE NEW.full_name := NEW.name; END IF;"
                        + " ELSIF NEW.full_name IS DISTINCT FROM OLD.full_name THEN NEW.name := NEW.full_name;"
                        + " ELSIF NEW.name IS DISTINCT FROM OLD.name THEN NEW.full_name := NEW.name; END IF; RETURN NEW; END$tandem$",
                "CREATE TRIGGER customers_name_rename_tandem BEFORE INSERT OR UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION"
                        + " customers_name_rename_tandem()");
        List<SqlStep> expand = Plans.sqlSteps(p, Phase.EXPAND);
        assertThat(expand).extracting(SqlStep::rollback).containsExactly(
                "ALTER TABLE customers DROP COLUMN IF EXISTS full_name",
                "DROP FUNCTION IF EXISTS customers_name_rename_tandem()",
                "DROP TRIGGER IF EXISTS customers_name_rename_tandem ON customers");
        assertThat(expand).allMatch(SqlStep::transactional);
        BackfillStep fill = (BackfillStep) p.steps(Phase.BACKFILL).get(0);
        assertThat(fill.key()).containsExactly("id");
        assertThat(fill.set()).isEqualTo("full_name = name");
        assertThat(fill.where()).isEqualTo("full_name IS DISTINCT FROM name");
        assertThat(fill.reversible()).isTrue();
        assertThat(p.steps(Phase.BACKFILL)).hasSize(1);
        assertThat(Plans.sql(p, Phase.CONTRACT)).containsExactly(
                "ALTER TABLE customers ADD CONSTRAINT customers_full_name_not_null_tandem CHECK (full_name IS NOT NULL) NOT VALID",
                "ALTER TABLE customers VALIDATE CONSTRAINT customers_full_name_not_null_tandem",
                "ALTER TABLE customers ALTER COLUMN full_name SET NOT NULL",
                "ALTER TABLE customers DROP CONSTRAINT IF EXISTS customers_full_name_not_null_tandem",
                "DROP TRIGGER IF EXISTS customers_name_rename_tandem ON customers;\n"
                        + "DROP FUNCTION IF EXISTS customers_name_rename_tandem();\n"
                        + "ALTER TABLE customers DROP COLUMN name");
        SqlStep swap = Plans.sqlSteps(p, Phase.CONTRACT).get(4);
        assertThat(swap.destructive()).isTrue();
        assertThat(swap.transactional()).isTrue();
        assertThat(swap.locks()).hasSize(1);
        assertThat(swap.locks().get(0).mode()).isEqualTo(dev.tandem.sql.LockMode.ACCESS_EXCLUSIVE);
        assertThat(p.reversibleBeforeContract()).isTrue();
    }

    @Test
    void anIndexCreatedInTheReleaseIsCopiedFromItsStatement() {
        ReleasePlan p = plan("CREATE INDEX CONCURRENTLY customers_name_idx ON customers USING btree (lower(name) DESC NULLS LAST)"
                        + " INCLUDE (email) WITH (fillfactor = 80) WHERE name <> 'x';",
                "ALTER TABLE customers RENAME COLUMN name TO full_name;");
        assertThat(p.unplanned()).isEmpty();
        assertThat(Plans.sql(p, Phase.BACKFILL)).containsExactly("BACKFILL full_name = name",
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS customers_name_idx_tandem ON customers USING btree (lower(full_name) DESC"
                        + " NULLS LAST) INCLUDE (email) WITH (fillfactor = 80) WHERE full_name <> 'x'");
        assertThat(Plans.sql(p, Phase.CONTRACT).get(4)).endsWith(
                "ALTER TABLE customers DROP COLUMN name;\nALTER INDEX customers_name_idx_tandem RENAME TO customers_name_idx");
    }

    @Test
    void typeChangeCopiesIntoANewColumnAndSwapsNamesInContract() {
        ReleasePlan p = plan("ALTER TABLE customers ALTER COLUMN score TYPE bigint USING score * 10;");
        assertThat(p.unplanned()).isEmpty();
        assertThat(Plans.sql(p, Phase.EXPAND)).containsExactly(
                "ALTER TABLE customers ADD COLUMN score_tandem_new bigint",
                "CREATE FUNCTION customers_score_type_tandem() RETURNS trigger LANGUAGE plpgsql AS $tandem$BEGIN"
                        + " NEW.score_tandem_new := NEW.score * 10; RETURN NEW; END$tandem$",
                "CREATE TRIGGER customers_score_type_tandem BEFORE INSERT OR UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION"
                        + " customers_score_type_tandem()");
        BackfillStep fill = (BackfillStep) p.steps(Phase.BACKFILL).get(0);
        assertThat(fill.set()).isEqualTo("score_tandem_new = score * 10");
        assertThat(fill.where()).isEqualTo("score_tandem_new IS DISTINCT FROM CAST((score * 10) AS bigint)");
        assertThat(Plans.sql(p, Phase.CONTRACT)).containsExactly(
                "DROP TRIGGER IF EXISTS customers_score_type_tandem ON customers;\n"
                        + "DROP FUNCTION IF EXISTS customers_score_type_tandem();\n"
                        + "ALTER TABLE customers DROP COLUMN score;\n"
                        + "ALTER TABLE customers RENAME COLUMN score_tandem_new TO score;\n"
                        + "ALTER TABLE customers ADD CONSTRAINT customers_score_check CHECK (score > 0) NOT VALID",
                "ALTER TABLE customers VALIDATE CONSTRAINT customers_score_check");
        assertThat(p.reversibleBeforeContract()).isTrue();
    }

    @Test
    void timestampToTimestamptzWithoutIndexIsOneCatalogOnlyStepInUtc() {
        ReleasePlan p = plan("ALTER TABLE customers ALTER COLUMN seen TYPE timestamptz;");
        assertThat(p.unplanned()).isEmpty();
        assertThat(Plans.sql(p, Phase.EXPAND)).containsExactly(
                "SET LOCAL TimeZone = 'UTC';\nALTER TABLE customers ALTER COLUMN seen TYPE timestamptz");
        assertThat(Plans.sqlSteps(p, Phase.EXPAND).get(0).rollback())
                .isEqualTo("SET LOCAL TimeZone = 'UTC';\nALTER TABLE customers ALTER COLUMN seen TYPE timestamp");
        assertThat(p.steps(Phase.BACKFILL)).isEmpty();
        assertThat(p.steps(Phase.CONTRACT)).isEmpty();
    }

    @Test
    void anIndexWhoseDefinitionIsUnknownOfflineIsRefused() {
        Unplanned u = unplanned("ALTER TABLE customers ALTER COLUMN nick TYPE varchar(20);");
        assertThat(u.reason()).isEqualTo(Unplanned.Reason.PRECONDITION);
        assertThat(u.message()).contains("customers_nick_idx").contains("full definition");
        assertThat(u.instead()).contains("--url");
    }

    @Test
    void whatTheCopyCannotCarryIsRefused() {
        assertThat(unplanned("ALTER TABLE customers RENAME COLUMN email TO mail;").message()).contains("unique constraint");
        assertThat(unplanned("ALTER TABLE orders RENAME COLUMN customer_id TO buyer_id;").message()).contains("foreign key");
        assertThat(unplanned("ALTER TABLE customers RENAME COLUMN ident TO ident2;").message()).contains("identity");
        assertThat(unplanned("ALTER TABLE customers RENAME COLUMN serial_no TO number;").message()).contains("sequence");
        assertThat(unplanned("ALTER TABLE heap ALTER COLUMN msg TYPE varchar(10);").message()).contains("primary key");
        assertThat(unplanned("ALTER TABLE events RENAME COLUMN at TO happened_at;").message()).contains("partitioned");
        Unplanned unknown = unplanned("ALTER TABLE elsewhere RENAME COLUMN a TO b;");
        assertThat(unknown.reason()).isEqualTo(Unplanned.Reason.PRECONDITION);
        assertThat(unknown.instead()).contains("--url");
        assertThat(unplanned("ALTER TABLE customers RENAME COLUMN name TO nick;").message()).contains("exists already");
        for (String s : List.of("ALTER TABLE customers RENAME COLUMN email TO mail;", "ALTER TABLE events RENAME COLUMN at TO x;")) {
            assertThat(unplanned(s).reason()).isEqualTo(Unplanned.Reason.RECIPE_NOT_YET_AVAILABLE);
        }
    }

    @Test
    void aReferencedPrimaryKeysTypeChangeStaysUnplanned() {
        Unplanned u = unplanned("ALTER TABLE customers ALTER COLUMN id TYPE int;");
        assertThat(u.reason()).isEqualTo(Unplanned.Reason.RECIPE_NOT_YET_AVAILABLE);
        assertThat(u.message()).contains("primary-key-type-change");
    }

    @Test
    void theUtcFormIsUsedFromPostgres12On() {
        ReleasePlan p = Plans.offline(new PgVersion(12), GIVEN, "ALTER TABLE customers ALTER COLUMN seen TYPE timestamptz;");
        assertThat(Plans.sql(p, Phase.EXPAND)).containsExactly(
                "SET LOCAL TimeZone = 'UTC';\nALTER TABLE customers ALTER COLUMN seen TYPE timestamptz");
    }
}
