package dev.tandem.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** {@link AttachPartitionRecipe} on a real PostgreSQL: a validated CHECK lets ATTACH skip its scan. */
class AttachPartitionLifecycleTest {

    @Test
    void anExistingTableBecomesARangePartitionWithoutAScan() throws SQLException {
        Lifecycle.Result r = Lifecycle.given("""
                        CREATE TABLE events_2024 (logdate date NOT NULL, payload text);
                        INSERT INTO events_2024 SELECT date '2024-01-01' + i, 'p' || i FROM generate_series(0, 300) i;
                        """)
                .migration("""
                        CREATE TABLE events (logdate date NOT NULL, payload text) PARTITION BY RANGE (logdate);
                        ALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
                        """)
                .oldApp("INSERT INTO events_2024 VALUES ('2024-06-01', 'old')", "SELECT count(*) FROM events_2024")
                .newApp("INSERT INTO events VALUES ('2024-07-01', 'new')", "SELECT count(*) FROM events")
                .debug()
                .run();

        assertThat(Plans.sql(r.plan(), Phase.EXPAND)).containsExactly(
                "CREATE TABLE events (logdate date NOT NULL, payload text) PARTITION BY RANGE (logdate)",
                "ALTER TABLE events_2024 ADD CONSTRAINT events_2024_bound_tandem"
                        + " CHECK (logdate IS NOT NULL AND logdate >= '2024-01-01' AND logdate < '2025-01-01') NOT VALID",
                "ALTER TABLE events_2024 VALIDATE CONSTRAINT events_2024_bound_tandem",
                "ALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "ALTER TABLE events_2024 DROP CONSTRAINT IF EXISTS events_2024_bound_tandem");
        assertThat(Plans.sqlSteps(r.plan(), Phase.EXPAND).get(3).rollback())
                .isEqualTo("ALTER TABLE events DETACH PARTITION events_2024");
        assertThat(r.messages()).contains("partition constraint for table \"events_2024\" is implied by existing constraints");
        // The partition is read once, by VALIDATE under ShareUpdateExclusiveLock, not again by ATTACH.
        assertThat(r.messages()).filteredOn(m -> m.equals("verifying table \"events_2024\"")).hasSize(1);
        assertThat(r.after().partitions()).contains(
                "public.events_2024  PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')");
    }

    @Test
    void listPartitionWithNullAndAMinvalueRange() throws SQLException {
        Lifecycle.Result r = Lifecycle.given("""
                        CREATE TABLE tickets_other (region varchar(10), id int);
                        INSERT INTO tickets_other VALUES ('eu', 1), ('us', 2), (NULL, 3);
                        CREATE TABLE ledger_old (seq bigint, amount int);
                        INSERT INTO ledger_old SELECT i, i FROM generate_series(-5, 99) i;
                        """)
                .migration("""
                        CREATE TABLE tickets (region varchar(10), id int) PARTITION BY LIST (region);
                        ALTER TABLE tickets ATTACH PARTITION tickets_other FOR VALUES IN ('eu', 'us', NULL);
                        CREATE TABLE ledger (seq bigint, amount int) PARTITION BY RANGE (seq);
                        ALTER TABLE ledger ATTACH PARTITION ledger_old FOR VALUES FROM (MINVALUE) TO (100);
                        """)
                .oldApp("INSERT INTO tickets_other VALUES ('us', 4)", "INSERT INTO ledger_old VALUES (-10, 0)")
                .newApp("INSERT INTO tickets VALUES (NULL, 5)", "INSERT INTO ledger VALUES (50, 1)")
                .debug()
                .run();

        assertThat(Plans.sql(r.plan(), Phase.EXPAND)).contains(
                "ALTER TABLE tickets_other ADD CONSTRAINT tickets_other_bound_tandem CHECK (region IS NULL OR region IN ('eu', 'us'))"
                        + " NOT VALID",
                "ALTER TABLE ledger_old ADD CONSTRAINT ledger_old_bound_tandem CHECK (seq IS NOT NULL AND seq < 100) NOT VALID");
        assertThat(r.messages()).contains(
                "partition constraint for table \"tickets_other\" is implied by existing constraints",
                "partition constraint for table \"ledger_old\" is implied by existing constraints");
    }
}
