package dev.tandem.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.catalog.SchemaModel;
import dev.tandem.classify.ClassifiedSet;
import dev.tandem.classify.Classifier;
import dev.tandem.classify.PgVersion;
import dev.tandem.classify.rules.RuleRegistry;
import dev.tandem.source.Migration;
import dev.tandem.source.MigrationType;
import dev.tandem.source.SqlScript;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The planner offline: which statement gets which steps, and which get none and why. */
class PlannerTest {

    private static final String SHOP = """
            CREATE TABLE customers (id bigint PRIMARY KEY, name text);
            CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, amount numeric, note text, status text DEFAULT 'new');
            CREATE TABLE events (logdate date NOT NULL, payload text) PARTITION BY RANGE (logdate);
            CREATE TABLE events_2024 (logdate date NOT NULL, payload text);
            CREATE TABLE audit (at timestamptz, what text);
            """;

    private static ReleasePlan plan(String... scripts) {
        return Plans.offline(SHOP, scripts);
    }

    private static Unplanned onlyUnplanned(ReleasePlan plan) {
        return Plans.onlyUnplanned(plan);
    }

    @Test
    void everyRuleARecipeCoversExists() {
        java.util.Set<String> ids = RuleRegistry.all().stream().map(dev.tandem.classify.Rule::id)
                .collect(java.util.stream.Collectors.toSet());
        for (java.util.Set<String> covers : List.of(IndexRecipe.COVERS, ConstraintRecipe.COVERS, UniqueKeyRecipe.COVERS,
                NotNullRecipe.COVERS, BackfillRecipe.COVERS, AddColumnRecipe.COVERS, RenameColumnRecipe.COVERS,
                TypeChangeRecipe.COVERS, RenameTableRecipe.COVERS, RemovalRecipe.COVERS, RefreshRecipe.COVERS, AttachPartitionRecipe.COVERS,
                Planner.STEP_MODEL_COVERS)) {
            assertThat(ids).containsAll(covers);
        }
    }

    // ------------------------------------------------------------------ as written

    @Test
    void aCompatibleStatementGoesToExpandUnchanged() {
        ReleasePlan plan = plan("ALTER TABLE orders ADD COLUMN shipped_at timestamptz;  -- nullable, no default");

        assertThat(plan.executable()).isTrue();
        assertThat(plan.steps(Phase.BACKFILL)).isEmpty();
        assertThat(plan.steps(Phase.CONTRACT)).isEmpty();
        SqlStep step = (SqlStep) plan.steps(Phase.EXPAND).get(0);
        assertThat(step.sql()).isEqualTo("ALTER TABLE orders ADD COLUMN shipped_at timestamptz");
        assertThat(step.transactional()).isTrue();
        assertThat(step.rollback()).isEqualTo("ALTER TABLE orders DROP COLUMN IF EXISTS shipped_at");
        assertThat(step.migration()).isEqualTo("2");
        assertThat(step.line()).isEqualTo(1);
        assertThat(step.locks()).extracting(l -> l.table() + " " + l.mode()).containsExactly("public.orders AccessExclusiveLock");
    }

    @Test
    void transactionControlGivesNoStepsBecauseEveryStepHasItsOwnTransaction() {
        ReleasePlan plan = plan("""
                BEGIN;
                CREATE TABLE IF NOT EXISTS coupons (code text PRIMARY KEY);
                CREATE INDEX coupons_code_idx ON coupons (lower(code));
                COMMIT;
                """);

        assertThat(plan.unplanned()).isEmpty();
        assertThat(Plans.sqlSteps(plan, Phase.EXPAND)).extracting(SqlStep::sql, SqlStep::rollback, SqlStep::onlyIf).containsExactly(
                org.assertj.core.groups.Tuple.tuple("CREATE TABLE IF NOT EXISTS coupons (code text PRIMARY KEY)",
                        "DROP TABLE IF EXISTS coupons", "SELECT 1 WHERE to_regclass('coupons') IS NULL"),
                // on a table new in this migration: a plain build is compatible
                org.assertj.core.groups.Tuple.tuple("CREATE INDEX coupons_code_idx ON coupons (lower(code))",
                        "DROP INDEX IF EXISTS coupons_code_idx", null));
    }

    @Test
    void aConcurrentIndexBuildWrittenByTheUserStillGetsTheRetryableForm() {
        ReleasePlan plan = plan("CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note);");

        SqlStep step = (SqlStep) plan.steps(Phase.EXPAND).get(0);
        assertThat(step.sql()).isEqualTo("CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_note_idx ON orders (note)");
        assertThat(step.transactional()).isFalse();
        assertThat(step.cleanup().when())
                .isEqualTo("SELECT 1 FROM pg_catalog.pg_index WHERE indexrelid = to_regclass('orders_note_idx') AND NOT indisvalid");
        assertThat(step.cleanup().sql()).isEqualTo("DROP INDEX CONCURRENTLY IF EXISTS orders_note_idx");
    }

    @Test
    void aSuppressedFindingLeavesTheStatementAsWritten() {
        ReleasePlan plan = plan("""
                -- migrate:ignore create-index-non-concurrent
                CREATE INDEX orders_note_idx ON orders (note);
                """);

        assertThat(Plans.sql(plan, Phase.EXPAND)).containsExactly("CREATE INDEX orders_note_idx ON orders (note)");
    }

    @Test
    void namesAreQuotedWhereTheyNeedIt() {
        ReleasePlan plan = Plans.offline("CREATE TABLE \"Order Items\" (id int PRIMARY KEY, \"Qty\" int, \"user\" int);",
                "ALTER TABLE \"Order Items\" ADD CHECK (\"Qty\" > 0);",
                "CREATE INDEX ON \"Order Items\" (\"user\");");

        assertThat(Plans.sql(plan, Phase.EXPAND)).containsExactly(
                "ALTER TABLE \"Order Items\" ADD CONSTRAINT \"Order Items_Qty_check\" CHECK (\"Qty\" > 0) NOT VALID",
                "ALTER TABLE \"Order Items\" VALIDATE CONSTRAINT \"Order Items_Qty_check\"",
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS \"Order Items_user_idx\" ON \"Order Items\" (\"user\")");
    }

    @Test
    void aGeneratedNameThatIsTakenGetsANumberAsInPostgres() {
        ReleasePlan plan = Plans.offline(SHOP + "ALTER TABLE orders ADD CHECK (amount > 0);",
                "ALTER TABLE orders ADD CHECK (amount < 1000000);");

        assertThat(Plans.sql(plan, Phase.EXPAND)).first().asString().contains("ADD CONSTRAINT orders_amount_check1 CHECK");
    }

    // ------------------------------------------------------------------ not planned

    @Test
    void blockingStatementsAreRefusedWithWhatToDoInstead() {
        Unplanned u = onlyUnplanned(plan("VACUUM FULL orders;"));

        assertThat(u.reason()).isEqualTo(Unplanned.Reason.BLOCKING);
        assertThat(u.migration()).isEqualTo("2");
        assertThat(u.sql()).isEqualTo("VACUUM FULL orders");
        assertThat(u.message()).contains("AccessExclusiveLock");
        assertThat(u.instead()).contains("pg_repack");
    }

    @Test
    void statementsThatNeedReviewAreNotRun() {
        Unplanned u = onlyUnplanned(plan("DO $$ BEGIN EXECUTE 'ALTER TABLE orders DROP COLUMN note'; END $$;"));

        assertThat(u.reason()).isEqualTo(Unplanned.Reason.REVIEW);
    }

    @Test
    void oneAlterTableWithSeveralHazardousActionsIsNotSplitSilently() {
        Unplanned u = onlyUnplanned(plan("ALTER TABLE orders ADD CHECK (amount > 0), ADD FOREIGN KEY (customer_id) REFERENCES customers;"));

        assertThat(u.reason()).isEqualTo(Unplanned.Reason.RECIPE_NOT_YET_AVAILABLE);
        assertThat(u.message()).contains("one ALTER TABLE per action");
    }

    @Test
    void aBackfillNeedsAKey() {
        Unplanned u = onlyUnplanned(plan("UPDATE audit SET what = upper(what);"));

        assertThat(u.reason()).isEqualTo(Unplanned.Reason.PRECONDITION);
        assertThat(u.message()).contains("public.audit", "primary key");
    }

    @Test
    void aBackfillThatWouldChangeItsOwnKeyIsNotPlanned() {
        Unplanned u = onlyUnplanned(plan("UPDATE orders SET id = id + 1000;"));

        assertThat(u.reason()).isEqualTo(Unplanned.Reason.RECIPE_NOT_YET_AVAILABLE);
        assertThat(u.message()).contains("key");
    }

    @Test
    void attachingToAParentCreatedBeforeTheReleaseNeedsItsPartitionKey() {
        Unplanned u = onlyUnplanned(plan(
                "ALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');"));

        assertThat(u.reason()).isEqualTo(Unplanned.Reason.PRECONDITION);
        assertThat(u.message()).contains("partition key of public.events");
    }

    @Test
    void attachingNextToADefaultPartitionIsNotPlanned() {
        ReleasePlan plan = plan("""
                CREATE TABLE metrics (at date NOT NULL, v int) PARTITION BY RANGE (at);
                CREATE TABLE metrics_default PARTITION OF metrics DEFAULT;
                ALTER TABLE metrics ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
                """);

        assertThat(plan.unplanned()).singleElement().satisfies(u -> {
            assertThat(u.reason()).isEqualTo(Unplanned.Reason.RECIPE_NOT_YET_AVAILABLE);
            assertThat(u.message()).contains("DEFAULT partition");
        });
    }

    @Test
    void indexWorkOnPartitionedTablesHasNoRecipeYet() {
        Unplanned u = onlyUnplanned(plan("CREATE INDEX events_payload_idx ON events (payload);"));

        assertThat(u.reason()).isEqualTo(Unplanned.Reason.RECIPE_NOT_YET_AVAILABLE);
    }

    @Test
    void notValidForeignKeysOnPartitionedTablesNeedPostgres18() {
        String fk = "ALTER TABLE events ADD CONSTRAINT events_payload_fk FOREIGN KEY (payload) REFERENCES customers (name);";
        String given = SHOP + "ALTER TABLE customers ADD CONSTRAINT customers_name_key UNIQUE (name);";

        assertThat(onlyUnplanned(Plans.offline(given, fk)).reason()).isEqualTo(Unplanned.Reason.RECIPE_NOT_YET_AVAILABLE);
        assertThat(Plans.sql(Plans.offline(new PgVersion(18), given, fk), Phase.EXPAND)).hasSize(2);
    }

    @Test
    void uniqueConstraintOptionsTheRecipeDoesNotCarryAreNotDropped() {
        Unplanned u = onlyUnplanned(plan("ALTER TABLE orders ADD CONSTRAINT orders_note_key UNIQUE (note) INCLUDE (status);"));

        assertThat(u.message()).contains("INCLUDE");
    }

    @Test
    void dropIndexCascadeIsNotPlanned() {
        Unplanned u = onlyUnplanned(Plans.offline(SHOP + "CREATE INDEX orders_note_idx ON orders (note);",
                "DROP INDEX orders_note_idx CASCADE;"));

        assertThat(u.message()).contains("CASCADE");
    }

    // ------------------------------------------------------------------ order across the release

    @Test
    void aLaterStatementThatWouldRunBeforeAnEarlierContractIsRejected() {
        ReleasePlan plan = plan(
                "ALTER TABLE orders ALTER COLUMN status SET NOT NULL;",
                "CREATE INDEX orders_status_idx ON orders (status);",
                "ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status <> '');");

        // the index build does not depend on the order; the CHECK would be validated before the contract
        assertThat(Plans.sql(plan, Phase.EXPAND))
                .containsExactly("CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status)");
        assertThat(plan.unplanned()).singleElement().satisfies(u -> {
            assertThat(u.migration()).isEqualTo("4");
            assertThat(u.reason()).isEqualTo(Unplanned.Reason.ORDER);
            assertThat(u.message()).contains("migration 2", "contract", "public.orders");
            assertThat(u.instead()).contains("migration 2");
        });
    }

    @Test
    void aColumnDroppedInContractCannotBeAddedAgainOrIndexedInExpand() {
        ReleasePlan plan = plan(
                "ALTER TABLE orders DROP COLUMN status;",
                "ALTER TABLE orders ADD COLUMN status integer;",
                "CREATE INDEX orders_status_idx ON orders (status);",
                "CREATE INDEX orders_amount_idx ON orders (amount);",
                "ALTER TABLE orders ADD COLUMN priority integer;");

        assertThat(Plans.sql(plan, Phase.CONTRACT)).containsExactly("ALTER TABLE orders DROP COLUMN status");
        // neither depends on the dropped column: their order does not matter
        assertThat(Plans.sql(plan, Phase.EXPAND)).containsExactly(
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_amount_idx ON orders (amount)",
                "ALTER TABLE orders ADD COLUMN priority integer");
        assertThat(plan.unplanned()).extracting(Unplanned::migration, Unplanned::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("3", Unplanned.Reason.ORDER),
                org.assertj.core.groups.Tuple.tuple("4", Unplanned.Reason.ORDER));
        assertThat(plan.unplanned()).allSatisfy(u -> assertThat(u.message())
                .contains("migration 2", "DROP COLUMN status", "column public.orders.status"));
    }

    @Test
    void columnWorkOnOtherColumnsMayRunBeforeAnEarlierBackfill() {
        ReleasePlan plan = plan(
                "UPDATE orders SET note = status;",
                "ALTER TABLE orders RENAME COLUMN amount TO total;",
                "ALTER TABLE orders RENAME COLUMN note TO memo;",
                "ALTER TABLE orders ALTER COLUMN status TYPE varchar(20);");

        // the renames' copy columns are new; the backfill's writes to note reach memo through the
        // rename's trigger, and note itself is only dropped in contract
        assertThat(plan.unplanned()).extracting(Unplanned::migration, Unplanned::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("5", Unplanned.Reason.ORDER));
        assertThat(plan.unplanned().get(0).message()).contains("migration 2", "column public.orders.status");
    }

    @Test
    void aStatementAfterABackfillOfTheSameTableWaitsForIt() {
        ReleasePlan plan = plan("""
                ALTER TABLE orders ADD COLUMN total numeric;
                UPDATE orders SET total = amount;
                ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total IS NOT NULL) NOT VALID;
                """);

        assertThat(plan.unplanned()).singleElement().satisfies(u -> {
            assertThat(u.line()).isEqualTo(3);
            assertThat(u.reason()).isEqualTo(Unplanned.Reason.ORDER);
            assertThat(u.message()).contains("backfill");
        });
    }

    @Test
    void undoMigrationsAreNotPartOfAForwardRelease() {
        SchemaModel schema = Plans.replayed(SHOP);
        List<Migration> migrations = new ArrayList<>(Plans.migrations("ALTER TABLE orders ADD COLUMN x int;"));
        migrations.add(new Migration("2", "undo", "U2__test.sql", MigrationType.UNDO,
                SqlScript.parse("ALTER TABLE orders DROP COLUMN x;", "U2__test.sql", 1).statements(), true, java.util.Set.of()));
        ClassifiedSet set = new Classifier(RuleRegistry.all(), Plans.PG15).classify(migrations, schema);

        ReleasePlan plan = new Planner().plan(set, Plans.replayed(SHOP));

        assertThat(plan.unplanned()).isEmpty();
        assertThat(Plans.sql(plan, Phase.EXPAND)).containsExactly("ALTER TABLE orders ADD COLUMN x int");
    }

    // ------------------------------------------------------------------ the model

    @Test
    void aReleasePlanHasTheThreePhasesInOrder() {
        ReleasePlan plan = plan("ALTER TABLE orders ADD COLUMN x int;");

        assertThat(plan.phases()).extracting(p -> p.phase().id()).containsExactly("expand", "backfill", "contract");
        assertThatThrownBy(() -> new ReleasePlan(Plans.PG15, List.of(plan.phase(Phase.CONTRACT), plan.phase(Phase.EXPAND),
                plan.phase(Phase.BACKFILL)), List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStepIsEitherUndoneBySqlOrIrreversibleNeverBoth() {
        assertThatThrownBy(() -> new SqlStep("2", 1, "p", "SELECT 1", true, List.of(), null, null, "SELECT 2", "because", false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BackfillStep("2", 1, "p", "t", List.of(), BackfillStep.Operation.UPDATE, "a = 1", null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dataChangesAsWrittenAreIrreversibleExceptOnTablesOfTheRelease() {
        ReleasePlan plan = plan("""
                INSERT INTO audit VALUES (now(), 'x');
                CREATE TABLE flags (name text PRIMARY KEY);
                INSERT INTO flags VALUES ('beta');
                """);

        assertThat(Plans.sqlSteps(plan, Phase.EXPAND)).extracting(SqlStep::irreversible).containsExactly(
                "data changes are not undone", null, null);
        assertThat(plan.reversibleBeforeContract()).isFalse();
    }
}
