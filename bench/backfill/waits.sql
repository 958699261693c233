-- Sampled by bench/backfill-benchmark.sh with psql's \watch when BENCH_WAITS=1: what each of the
-- workload's (pgbench's) sessions that is running a statement waits for right now, one line per
-- session with the sample's time (epoch ms). "CPU" is a session with no wait event: on a CPU, or
-- ready to run and waiting for one. A session that waited for I/O and is now waiting for a CPU
-- still shows the I/O's event until it runs again (it clears its event itself), so the CPU's
-- share is a lower bound. Each \watch round is a transaction of its own, so every sample reads
-- pg_stat_activity afresh (within one transaction it would see the same snapshot).
SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint,
       coalesce(wait_event_type || '/' || wait_event, 'CPU')
  FROM pg_stat_activity
 WHERE application_name = 'pgbench'
   AND state = 'active'
   AND datname = current_database()
