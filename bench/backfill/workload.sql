-- The application during every arm of bench/backfill-benchmark.sh: one transaction that reads an
-- account, moves money on another and reads it back, on random rows of the table being
-- backfilled. pgbench runs it at a fixed rate (-R, open loop) and logs every transaction; the
-- latency it logs counts from the transaction's scheduled start, so time spent queued behind a
-- blocked connection is counted too (no coordinated omission).
--   pgbench -f workload.sql -D rows=2000000 -R 200 -c 4 -j 2 --log ...
\set other random(1, :rows)
\set id random(1, :rows)
BEGIN;
SELECT balance, balance_cents, note FROM accounts WHERE id = :other;
UPDATE accounts SET balance = balance + 1 WHERE id = :id;
SELECT balance, balance_cents FROM accounts WHERE id = :id;
COMMIT;
