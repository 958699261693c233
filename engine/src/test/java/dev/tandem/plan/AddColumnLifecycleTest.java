package dev.tandem.plan;

import static dev.tandem.testing.Sql.rows;
import static dev.tandem.testing.Sql.count;
import static dev.tandem.testing.Sql.execute;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link AddColumnRecipe} on a real PostgreSQL: the column added without a rewrite, both app
 * versions working through the window, every row — existing, written by the old app, written by
 * the new one — with the right value after contract, and the schema the statement as written gives.
 */
class AddColumnLifecycleTest {

    /** Orders, and the table's relfilenode before the release: a rewrite would change it. */
    private static final String ORDERS = """
            CREATE TABLE orders (id bigint PRIMARY KEY, price numeric NOT NULL, qty int NOT NULL);
            INSERT INTO orders SELECT i, i * 1.5, i FROM generate_series(1, 20) i;
            CREATE TABLE baseline AS SELECT relfilenode FROM pg_class WHERE oid = 'orders'::regclass;
            """;

    private static final String OLD_INSERT = "INSERT INTO orders (id, price, qty) SELECT max(id) + 1, 2, 3 FROM orders";

    private static final String[] OLD_APP = {
            OLD_INSERT, "SELECT id, price, qty FROM orders WHERE id = 3", "UPDATE orders SET qty = qty + 1 WHERE id = 2"};

    @Test
    void volatileDefaultIsAddedWithoutARewriteAndEveryRowGetsItsOwnValue() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(ORDERS)
                .migration("ALTER TABLE orders ADD COLUMN ref uuid NOT NULL DEFAULT gen_random_uuid();")
                .oldApp(OLD_APP)
                .newApp("INSERT INTO orders (id, price, qty, ref) SELECT max(id) + 1, 1, 1, gen_random_uuid() FROM orders",
                        "SELECT ref FROM orders WHERE id = 1")
                .duringWindow(AddColumnLifecycleTest::noRewrite)
                .duringWindow(c -> {
                    // rows written while both versions run: the default fills the old app's
                    execute(c, OLD_INSERT);
                    execute(c, "INSERT INTO orders (id, price, qty, ref) SELECT max(id) + 1, 1, 1, gen_random_uuid() FROM orders");
                    // the 20 given rows and the 2 both versions wrote in the first round (committed,
                    // kept through the rollback) wait for the backfill
                    assertThat(count(c, "SELECT count(*) FROM orders WHERE ref IS NULL")).isEqualTo(22);
                })
                .debug()
                .check(AddColumnLifecycleTest::noRewrite)
                .check(c -> {
                    assertThat(count(c, "SELECT count(*) FROM orders WHERE ref IS NULL")).isZero();
                    assertThat(count(c, "SELECT count(DISTINCT ref) FROM orders")).isEqualTo(count(c, "SELECT count(*) FROM orders"))
                            .isEqualTo(24);
                })
                .run();

        assertThat(Plans.sql(r.plan(), Phase.EXPAND)).containsExactly(
                "ALTER TABLE orders ADD COLUMN ref uuid, ALTER COLUMN ref SET DEFAULT gen_random_uuid()");
        assertThat(Plans.sql(r.plan(), Phase.BACKFILL)).containsExactly("BACKFILL ref = gen_random_uuid()");
        assertThat(Plans.sql(r.plan(), Phase.CONTRACT)).containsExactly(
                "ALTER TABLE orders ADD CONSTRAINT orders_ref_not_null_tandem CHECK (ref IS NOT NULL) NOT VALID",
                "ALTER TABLE orders VALIDATE CONSTRAINT orders_ref_not_null_tandem",
                "ALTER TABLE orders ALTER COLUMN ref SET NOT NULL",
                "ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_ref_not_null_tandem");
        assertThat(r.messages()).contains(
                "existing constraints on column \"orders.ref\" are sufficient to prove that it does not contain nulls");
        assertThat(r.after().columns()).contains("public.orders #4 ref uuid NOT NULL DEFAULT gen_random_uuid()");
    }

    @Test
    void serialGetsTheSequenceDefaultAndOwnershipOfTheStatementAsWritten() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(ORDERS)
                .migration("ALTER TABLE orders ADD COLUMN seq_no serial;")
                .oldApp(OLD_APP)
                .newApp("INSERT INTO orders (id, price, qty) SELECT max(id) + 1, 1, 1 FROM orders",
                        "SELECT seq_no FROM orders WHERE id = 1")
                .duringWindow(AddColumnLifecycleTest::noRewrite)
                .duringWindow(c -> {
                    execute(c, OLD_INSERT);
                    execute(c, "INSERT INTO orders (id, price, qty) SELECT max(id) + 1, 1, 1 FROM orders");
                })
                .check(AddColumnLifecycleTest::noRewrite)
                .check(c -> {
                    assertThat(count(c, "SELECT count(*) FROM orders WHERE seq_no IS NULL")).isZero();
                    assertThat(count(c, "SELECT count(DISTINCT seq_no) FROM orders")).isEqualTo(24);
                    // the next number continues after every number handed out, backfilled ones included
                    long max = count(c, "SELECT max(seq_no) FROM orders");
                    assertThat(count(c, "INSERT INTO orders (id, price, qty) SELECT max(id) + 1, 1, 1 FROM orders RETURNING seq_no"))
                            .isGreaterThan(max);
                    // OWNED BY the column, as serial does
                    assertThat(rows(c, "SELECT d.deptype::text || ' ' || a.attname || ' ' || format_type(s.seqtypid, NULL)"
                            + " FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid"
                            + " JOIN pg_sequence s ON s.seqrelid = d.objid WHERE d.objid = 'orders_seq_no_seq'::regclass"
                            + " AND d.refobjid = 'orders'::regclass")).containsExactly("a seq_no integer");
                })
                .run();

        assertThat(Plans.sql(r.plan(), Phase.EXPAND)).containsExactly("""
                CREATE SEQUENCE orders_seq_no_seq AS integer;
                ALTER TABLE orders ADD COLUMN seq_no integer, ALTER COLUMN seq_no SET DEFAULT nextval('orders_seq_no_seq'::regclass);
                ALTER SEQUENCE orders_seq_no_seq OWNED BY orders.seq_no""");
        assertThat(Plans.sql(r.plan(), Phase.BACKFILL)).containsExactly("BACKFILL seq_no = nextval('orders_seq_no_seq'::regclass)");
        assertThat(Plans.sql(r.plan(), Phase.CONTRACT)).hasSize(4);
        assertThat(r.after().columns()).contains(
                "public.orders #4 seq_no integer NOT NULL DEFAULT nextval('orders_seq_no_seq'::regclass)");
        assertThat(r.after().relations()).contains("public.orders_seq_no_seq S");
    }

    @Test
    void identityContinuesAfterTheHelperSequenceWithoutDuplicates() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(ORDERS)
                .migration("ALTER TABLE orders ADD COLUMN num bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 10);")
                .oldApp(OLD_APP)
                .newApp("INSERT INTO orders (id, price, qty) SELECT max(id) + 1, 1, 1 FROM orders",
                        "SELECT num FROM orders WHERE id = 1")
                .duringWindow(AddColumnLifecycleTest::noRewrite)
                .duringWindow(c -> {
                    execute(c, OLD_INSERT);
                    execute(c, "INSERT INTO orders (id, price, qty) SELECT max(id) + 1, 1, 1 FROM orders");
                })
                .check(AddColumnLifecycleTest::noRewrite)
                .check(c -> {
                    assertThat(count(c, "SELECT count(*) FROM orders WHERE num IS NULL OR num < 100 OR num % 10 <> 0")).isZero();
                    assertThat(count(c, "SELECT count(DISTINCT num) FROM orders")).isEqualTo(24);
                    // the identity goes on after the helper's last value (the new app's statements,
                    // run and rolled back after contract, used one number: sequences do not roll back)
                    long max = count(c, "SELECT max(num) FROM orders");
                    long next = count(c, "INSERT INTO orders (id, price, qty) SELECT max(id) + 1, 1, 1 FROM orders RETURNING num");
                    assertThat(next).isGreaterThan(max).isLessThanOrEqualTo(max + 20);
                    assertThat(next % 10).isZero();
                    assertThat(rows(c, "SELECT seqstart || ' ' || seqincrement || ' ' || format_type(seqtypid, NULL) FROM pg_sequence"
                            + " WHERE seqrelid = pg_get_serial_sequence('orders', 'num')::regclass")).containsExactly("100 10 bigint");
                    assertThat(rows(c, "SELECT relname FROM pg_class WHERE relname LIKE '%tandem%'")).isEmpty();
                })
                .run();

        assertThat(Plans.sql(r.plan(), Phase.EXPAND)).containsExactly(
                "CREATE SEQUENCE orders_num_seq_tandem AS bigint START WITH 100 INCREMENT BY 10",
                "ALTER TABLE orders ADD COLUMN num bigint, ALTER COLUMN num SET DEFAULT nextval('orders_num_seq_tandem'::regclass)");
        assertThat(Plans.sql(r.plan(), Phase.BACKFILL)).containsExactly("BACKFILL num = nextval('orders_num_seq_tandem'::regclass)");
        List<String> contract = Plans.sql(r.plan(), Phase.CONTRACT);
        assertThat(contract).hasSize(5);
        assertThat(contract.get(4)).isEqualTo("""
                ALTER TABLE orders ALTER COLUMN num DROP DEFAULT, ALTER COLUMN num ADD GENERATED ALWAYS AS IDENTITY \
                (START WITH 100 INCREMENT BY 10);
                SELECT setval(pg_get_serial_sequence('orders', 'num'), last_value, is_called) FROM orders_num_seq_tandem;
                DROP SEQUENCE orders_num_seq_tandem""");
        assertThat(r.after().columns()).contains("public.orders #4 num bigint NOT NULL IDENTITY ALWAYS");
    }

    @Test
    void storedGeneratedColumnBecomesAPlainColumnKeptByATrigger() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(ORDERS)
                .migration("ALTER TABLE orders ADD COLUMN total numeric NOT NULL GENERATED ALWAYS AS (price * qty) STORED;")
                .oldApp(OLD_APP)
                .newApp("INSERT INTO orders (id, price, qty) SELECT max(id) + 1, 4, 5 FROM orders",
                        "SELECT total FROM orders WHERE id = 1")
                .duringWindow(AddColumnLifecycleTest::noRewrite)
                .duringWindow(c -> {
                    execute(c, OLD_INSERT);
                    execute(c, "UPDATE orders SET qty = 7 WHERE id = 5");
                    execute(c, "INSERT INTO orders (id, price, qty) SELECT max(id) + 1, 4, 5 FROM orders");
                })
                // Deliberate difference, stated in the trigger step's purpose: PostgreSQL cannot
                // make an existing column generated without a rewrite, so total stays a plain
                // column kept by the recipe's trigger and function. Nothing else may differ.
                .expectAfterContract(s -> new CatalogSnapshot(s.relations(),
                        s.columns().stream().map(l -> l.equals(
                                "public.orders #4 total numeric NOT NULL DEFAULT (price * (qty)::numeric) GENERATED STORED")
                                ? "public.orders #4 total numeric NOT NULL" : l).toList(),
                        s.constraints(), s.indexes(), s.partitions(),
                        plus(s.triggers(), "CREATE TRIGGER orders_total_generated_tandem BEFORE INSERT OR UPDATE ON public.orders"
                                + " FOR EACH ROW EXECUTE FUNCTION orders_total_generated_tandem()"),
                        plus(s.functions(), "public.orders_total_generated_tandem()")))
                .check(AddColumnLifecycleTest::noRewrite)
                .check(c -> {
                    assertThat(count(c, "SELECT count(*) FROM orders WHERE total IS DISTINCT FROM price * qty")).isZero();
                    assertThat(count(c, "SELECT count(*) FROM orders")).isEqualTo(24);
                    execute(c, "UPDATE orders SET price = 10 WHERE id = 1");
                    assertThat(count(c, "SELECT total FROM orders WHERE id = 1")).isEqualTo(10);
                })
                .run();

        assertThat(Plans.sql(r.plan(), Phase.EXPAND)).containsExactly(
                "CREATE FUNCTION orders_total_generated_tandem() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $tandem$BEGIN NEW.total := (NEW.price * NEW.qty); RETURN NEW; END$tandem$",
                "ALTER TABLE orders ADD COLUMN total numeric",
                "CREATE TRIGGER orders_total_generated_tandem BEFORE INSERT OR UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION"
                        + " orders_total_generated_tandem()");
        assertThat(Plans.sql(r.plan(), Phase.BACKFILL)).containsExactly("BACKFILL total = price * qty");
        assertThat(Plans.sql(r.plan(), Phase.CONTRACT)).hasSize(4);
        assertThat(Plans.sqlSteps(r.plan(), Phase.EXPAND).get(2).purpose()).contains("not a generated column");
    }

    @Test
    void notNullWithoutDefaultIsFilledFromTheAnnotationAfterTheGate() throws SQLException {
        // An empty table: the statement as written must succeed on the comparison database. The
        // rows come from the old app (committed after the first expand, before the second) and
        // from both versions during the window.
        Lifecycle.Result r = Lifecycle.given("CREATE TABLE orders (id bigint PRIMARY KEY, price numeric NOT NULL, qty int NOT NULL);")
                .migration("""
                        -- migrate:backfill 'standard'
                        ALTER TABLE orders ADD COLUMN tier text NOT NULL;
                        """)
                .oldApp("INSERT INTO orders (id, price, qty) SELECT COALESCE(max(id), 0) + 1, 2, 3 FROM orders")
                .newApp("INSERT INTO orders (id, price, qty, tier) SELECT COALESCE(max(id), 0) + 1, 1, 1, 'gold' FROM orders",
                        "SELECT tier FROM orders WHERE id = 1")
                .duringWindow(c -> {
                    execute(c, "INSERT INTO orders (id, price, qty) SELECT max(id) + 1, 2, 3 FROM orders");
                    execute(c, "INSERT INTO orders (id, price, qty, tier) SELECT max(id) + 1, 1, 1, 'gold' FROM orders");
                })
                .check(c -> {
                    assertThat(rows(c, "SELECT id || ' ' || tier FROM orders ORDER BY id"))
                            .containsExactly("1 standard", "2 standard", "3 standard", "4 gold");
                })
                .run();

        assertThat(Plans.sql(r.plan(), Phase.EXPAND)).containsExactly("ALTER TABLE orders ADD COLUMN tier text");
        assertThat(r.plan().steps(Phase.BACKFILL)).isEmpty();
        assertThat(Plans.sql(r.plan(), Phase.CONTRACT)).containsExactly(
                "BACKFILL tier = 'standard'",
                "ALTER TABLE orders ADD CONSTRAINT orders_tier_not_null_tandem CHECK (tier IS NOT NULL) NOT VALID",
                "ALTER TABLE orders VALIDATE CONSTRAINT orders_tier_not_null_tandem",
                "ALTER TABLE orders ALTER COLUMN tier SET NOT NULL",
                "ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_tier_not_null_tandem");
        assertThat(r.after().columns()).contains("public.orders #4 tier text NOT NULL");
    }

    // ------------------------------------------------------------------ helpers

    private static void noRewrite(Connection c) throws SQLException {
        assertThat(count(c, "SELECT count(*) FROM pg_class WHERE oid = 'orders'::regclass"
                + " AND relfilenode = (SELECT relfilenode FROM baseline)")).as("orders not rewritten").isEqualTo(1);
    }

    private static List<String> plus(List<String> lines, String line) {
        List<String> out = new ArrayList<>(lines);
        out.add(line);
        return out;
    }



}
