-- Sampled by bench/backfill-benchmark.sh with psql's \watch while an arm runs: the longest lock
-- wait under way right now, of the application (pgbench's sessions) and of every other session in
-- the database (the backfill), in milliseconds, with the sample's time (epoch ms). pg_locks.waitstart
-- (PostgreSQL 14+) is when the wait began; reading pg_locks takes the lock manager's partition
-- locks briefly, hence a modest sampling rate.
SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint,
       coalesce(max(extract(epoch FROM clock_timestamp() - l.waitstart) * 1000)
                    FILTER (WHERE a.application_name = 'pgbench'), 0)::bigint,
       coalesce(max(extract(epoch FROM clock_timestamp() - l.waitstart) * 1000)
                    FILTER (WHERE a.application_name IS DISTINCT FROM 'pgbench'), 0)::bigint
  FROM pg_locks l
  JOIN pg_stat_activity a ON a.pid = l.pid
 WHERE NOT l.granted
   AND a.datname = current_database()
   AND l.pid <> pg_backend_pid()
