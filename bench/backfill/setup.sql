-- A fresh accounts table for one arm of bench/backfill-benchmark.sh:
--   psql -v rows=2000000 -f setup.sql
-- Drops what an earlier arm left: the table, Tandem's state (schema tandem) and Flyway's history,
-- so that every arm, Tandem's included, starts from the same pending migration V2__cents.sql.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

DROP SCHEMA IF EXISTS tandem CASCADE;
DROP TABLE IF EXISTS flyway_schema_history;
DROP TABLE IF EXISTS accounts;

-- balance_cents is the column being backfilled: NULL everywhere until a backfill arm runs.
-- note makes the rows about as wide as a real table's (~90 bytes a row, ~190 MB at 2,000,000 rows).
CREATE TABLE accounts (
    id            bigint PRIMARY KEY,
    balance       int NOT NULL,
    note          text,
    balance_cents bigint
);

-- Deterministic contents (no random()): every arm and every run backfills the same data.
INSERT INTO accounts (id, balance, note)
SELECT g, ((g * 7919) % 100000)::int, 'account ' || g || ' ' || md5(g::text)
  FROM generate_series(1::bigint, :rows) AS g;

-- The sync trigger an expand-contract recipe installs, in every arm (the reference's "same sync
-- trigger in every arm"): rows the application writes while the backfill runs get
-- balance_cents = balance * 100 from the trigger, and every backfilled row fires it too, so all
-- arms pay for it alike.
CREATE OR REPLACE FUNCTION accounts_sync_cents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.balance_cents := NEW.balance::bigint * 100;
    RETURN NEW;
END
$$;
CREATE TRIGGER accounts_sync_cents BEFORE INSERT OR UPDATE ON accounts
    FOR EACH ROW EXECUTE FUNCTION accounts_sync_cents();
