#!/usr/bin/env bash
# CPU bursts beside the application: the backfill benchmark's workload beside a backend that only
# burns CPU (no WAL, no lock, no I/O), continuously or in bursts separated by rests, which is the
# CPU shape of a backfill with --nice-ratio. It separates the CPU scheduler's share of the
# workload's p99 from everything else a backfill does.
#
#   bench/cpu-bursts.sh                         (from the repository root, or anywhere)
#   CPU_ARMS="idle continuous 20/20" BENCH_RUNS=3 bench/cpu-bursts.sh
#
# Arms (CPU_ARMS, default "idle continuous 20/20 5/5 2/2"):
#   idle        the workload alone
#   continuous  a backend in a busy loop for the whole arm
#   B/R         a backend busy for B ms, then asleep (pg_sleep) for R ms, over and over
# Each arm runs BENCH_SECONDS (20) with pgbench running bench/backfill/workload.sql at BENCH_RATE
# (200) tps, open loop, every transaction logged, from BENCH_WARMUP (3) seconds before the arm; the
# report gives the workload's p50 / p99 / max of the transactions scheduled during the arm. With
# BENCH_RUNS > 1 the arms alternate order and medians are printed as well.
#
# Environment: PGHOST, PGPORT, PGUSER, PGPASSWORD (default 127.0.0.1, 5432, postgres);
# BENCH_ROWS (200000: the workload's table), BENCH_CLIENTS (4), BENCH_THREADS (2),
# BENCH_DB (tandem_cpu_bursts; dropped first and at the end unless BENCH_KEEP=1).
# Output: bench/out/cpu-bursts/ (git-ignored): pgbench logs per arm, results.tsv, summary.txt.
set -euo pipefail

here="$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
files="$here/backfill"
out="$here/out/cpu-bursts"

rows="${BENCH_ROWS:-200000}"
rate="${BENCH_RATE:-200}"
clients="${BENCH_CLIENTS:-4}"
threads="${BENCH_THREADS:-2}"
seconds="${BENCH_SECONDS:-20}"
warmup="${BENCH_WARMUP:-3}"
runs="${BENCH_RUNS:-1}"
arms="${CPU_ARMS:-idle continuous 20/20 5/5 2/2}"
db="${BENCH_DB:-tandem_cpu_bursts}"

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
unset PGDATABASE PGAPPNAME

bench_name=cpu-bursts
# shellcheck source=lib.sh
. "$here/lib.sh"

require_positive rows rate clients threads seconds warmup runs
for a in $arms; do
    case "$a" in
        idle | continuous) ;;
        [0-9]*/[0-9]*) case "$a" in *[!0-9/]* | */*/*) die "arm '$a': a burst/rest pair is two whole numbers of ms, e.g. 20/20" ;; esac ;;
        *) die "unknown arm '$a' in CPU_ARMS (idle, continuous or B/R in ms, e.g. 20/20)" ;;
    esac
done
require_db_name "$db"

psql_bin="$(pg_bin psql)"
pgbench_bin="$(pg_bin pgbench)"
require_server

rm -rf "$out"
mkdir -p "$out"
workload_pid=""
hog_pid=""
cleanup() {
    [ -n "$hog_pid" ] && kill "$hog_pid" 2>/dev/null || true
    [ -n "$workload_pid" ] && kill "$workload_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    if [ "${BENCH_KEEP:-0}" != 1 ]; then
        "$psql_bin" -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$psql_bin" -X -q -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" || die "cannot create database $db"
"$psql_bin" -X -q -v ON_ERROR_STOP=1 -d "$db" -v rows="$rows" -f "$files/setup.sql" >/dev/null
"$psql_bin" -X -q -v ON_ERROR_STOP=1 -d "$db" \
    -c "VACUUM ANALYZE accounts" -c "CHECKPOINT" >/dev/null

# The hog: one backend, CPU only. clock_timestamp() in a loop neither writes nor takes a lock; the
# rest is pg_sleep, so the backend sleeps in the kernel like one waiting for its next batch.
hog_sql() {  # arm seconds
    local burst=0 rest=0
    case "$1" in
        continuous) burst=$(($2 * 1000)) ;;
        */*) burst="${1%/*}"; rest="${1#*/}" ;;
    esac
    cat <<SQL
DO \$\$
DECLARE
    stop timestamptz := clock_timestamp() + interval '$2 seconds';
    t timestamptz;
BEGIN
    WHILE clock_timestamp() < stop LOOP
        t := least(stop, clock_timestamp() + interval '$burst milliseconds');
        WHILE clock_timestamp() < t LOOP END LOOP;
        IF $rest > 0 THEN PERFORM pg_sleep($rest / 1000.0); END IF;
    END LOOP;
END
\$\$;
SQL
}

now_us() { date +%s%6N; }

results="$out/results.tsv"
printf 'run\tarm\ttx\tp50_ms\tp99_ms\tmax_ms\n' >"$results"

run_arm() {
    local run="$1" arm="$2" dir t0 t1 tx p50 p99 max
    dir="$out/run$1-${2//\//-}"
    mkdir -p "$dir"
    printf '[run %d] %-10s ' "$run" "$arm"
    "$pgbench_bin" -n -f "$files/workload.sql" -D rows="$rows" -R "$rate" -c "$clients" -j "$threads" \
        -T $((warmup + seconds + 2)) --log --log-prefix="$dir/tx" "$db" >"$dir/pgbench.out" 2>"$dir/pgbench.err" &
    workload_pid=$!
    sleep "$warmup"
    t0="$(now_us)"
    if [ "$arm" = idle ]; then
        sleep "$seconds"
    else
        hog_sql "$arm" "$seconds" | "$psql_bin" -X -q -v ON_ERROR_STOP=1 -d "$db" >"$dir/hog.log" 2>&1 &
        hog_pid=$!
        wait "$hog_pid" || die "the CPU hog of arm $arm failed: $(cat "$dir/hog.log")"
        hog_pid=""
    fi
    t1="$(now_us)"
    wait "$workload_pid" || true  # pgbench ends on its own (-T), its logs flushed
    workload_pid=""
    read -r tx p50 p99 max < <(cat "$dir"/tx.* | awk -v from="$t0" -v to="$t1" -f "$files/window.awk" |
        grep -v '^failed$' | sort -n | awk -f "$files/percentiles.awk")
    printf 'tx %s  p50 %s ms  p99 %s ms  max %s ms\n' "$tx" "$p50" "$p99" "$max"
    printf '%d\t%s\t%s\t%s\t%s\t%s\n' "$run" "$arm" "$tx" "$p50" "$p99" "$max" >>"$results"
}

started="$(date "+%F %H:%M")"
echo "cpu bursts: workload $rate tps ($clients clients) on $rows rows, $seconds s per arm, $runs run(s)"
for ((run = 1; run <= runs; run++)); do
    order="$arms"
    [ $((run % 2)) = 0 ] && order="$(printf '%s\n' $arms | tac | tr '\n' ' ')"
    for arm in $order; do run_arm "$run" "$arm"; done
done

{
    echo
    echo "cpu bursts $started: $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)," \
        "PostgreSQL $("$psql_bin" -X -At -d postgres -c 'SHOW server_version' | cut -d' ' -f1)"
    echo "medians over $runs run(s) of the workload's latency during each arm:"
    awk -F'\t' "$(cat "$here/median.awk")"'
        NR > 1 {
            k = $2; if (!(k in cnt)) order[++arms] = k
            n = ++cnt[k]; for (c = 4; c <= 6; c++) v[k, c, n] = $c + 0
        }
        function column(k, c,   i, a) {  # the median of column c over the runs of arm k
            for (i = 1; i <= cnt[k]; i++) a[i] = v[k, c, i]
            return median(a, cnt[k])
        }
        END {
            printf "%-12s %8s %8s %8s\n", "arm", "p50 ms", "p99 ms", "max ms"
            for (i = 1; i <= arms; i++) { k = order[i]; printf "%-12s %8.2f %8.2f %8.1f\n", k, column(k, 4), column(k, 5), column(k, 6) }
        }' "$results"
} | tee "$out/summary.txt"
