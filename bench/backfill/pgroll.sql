-- Arm (b): pgroll's default backfill, as pgroll runs it (pkg/backfill): batches of 1,000 rows
-- walking the primary key, no pause between batches, each batch its own transaction, with
-- pgroll's statement shape (a CTE that locks the batch FOR NO KEY UPDATE, then an UPDATE ... FROM
-- batch). pgroll's batch sets its needs-backfill marker and lets the sync trigger compute the new
-- column; here the UPDATE sets balance_cents itself (the same trigger fires either way).
-- pgroll runs the loop from Go, one round trip per batch; a procedure with COMMIT in the loop
-- saves those round trips, which favours this arm slightly.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

CREATE OR REPLACE PROCEDURE bench_pgroll_backfill(batch_size int)
LANGUAGE plpgsql AS $$
DECLARE
    last_id bigint := -9223372036854775808;  -- below every key: the first batch starts at the lowest id
    batch_last bigint;
    batch_rows bigint;
BEGIN
    LOOP
        WITH batch AS (
            SELECT id FROM accounts WHERE id > last_id ORDER BY id LIMIT batch_size FOR NO KEY UPDATE
        ), updated AS (
            UPDATE accounts a SET balance_cents = a.balance * 100 FROM batch WHERE a.id = batch.id RETURNING a.id
        )
        SELECT max(id), count(*) INTO batch_last, batch_rows FROM updated;
        EXIT WHEN batch_rows = 0;
        last_id := batch_last;
        COMMIT;  -- one transaction per batch: row locks are held for one batch only
    END LOOP;
END
$$;
