#!/usr/bin/env bash
# Backfill benchmark (issue 5): what a whole-table backfill costs the application running beside it.
#
#   bench/backfill-benchmark.sh                       (from the repository root, or anywhere)
#   BENCH_ROWS=200000 bench/backfill-benchmark.sh     (a smoke run: about a minute; a full run ~2 min)
#
# In a database of its own (created, and dropped at the end), on a table of BENCH_ROWS accounts
# with the sync trigger an expand-contract recipe installs (balance_cents = balance * 100, in every
# arm), it runs these arms, each on a freshly built table after VACUUM ANALYZE and CHECKPOINT:
#   baseline  the workload alone, for BENCH_BASELINE seconds
#   update    one plain UPDATE accounts SET balance_cents = balance * 100 (psql)
#   pgroll    pgroll's default: batches of 1,000 by id, no pause, a transaction each, pgroll's
#             statement shape (bench/backfill/pgroll.sql)
#   tandem    the real CLI with its defaults: ./migrate apply bench/backfill/migrations --phase all,
#             where V2__cents.sql holds the same UPDATE, which Tandem plans as a batched backfill
# Beside every arm, pgbench runs bench/backfill/workload.sql (read one account, update another,
# read it back) at a fixed rate (open loop: -R, latency counted from the scheduled start), from
# BENCH_WARMUP seconds before the arm until it ends, logging every transaction. Reported per arm:
# wall time and rows/s of the backfill; the workload's transactions, p50/p99/max latency and errors
# (failed transactions and aborted clients) over the transactions scheduled during the arm; the
# longest lock wait of the application and of the backfill, sampled from pg_locks every 0.2 s.
# Then a verdict against issue 5's targets: Tandem's rows/s at least half the single UPDATE's, the
# workload's p99 during Tandem within 2x the baseline's, zero workload errors, and no lock wait
# longer than Tandem's lock_timeout (read from `migrate apply --help`).
#
# Environment:
#   PGHOST, PGPORT, PGUSER, PGPASSWORD   the server (default 127.0.0.1, 5432, postgres); TCP only,
#                                        since the JDBC driver cannot use a Unix socket
#   BENCH_ROWS      table size (2000000)           BENCH_RUNS     repetitions (1); with more, the
#   BENCH_RATE      workload tps (200)                            arms alternate order and medians
#   BENCH_CLIENTS   pgbench clients (4)                           are reported too
#   BENCH_THREADS   pgbench threads (2)            BENCH_ARMS     arms to run ("baseline update
#   BENCH_BASELINE  baseline seconds (30)                         pgroll tandem")
#   BENCH_WARMUP    workload seconds before an arm (5)
#   BENCH_DB        database name (tandem_backfill_bench; dropped first if it exists)
#   BENCH_KEEP=1    keep the database at the end   BENCH_STRICT=1 exit 1 when a target is missed
#   BENCH_PIN=1     a core to spare for the backfill: the backend that runs an arm's backfill (and
#                   Tandem's JVM) on the last CPU, every other process of the server and pgbench on the
#                   rest, in every arm, the baseline included (taskset; the server must be on this
#                   machine and its processes ours to pin: run as root or as the server's user)
#   BENCH_WAITS=1   also sample what the workload's sessions wait for (bench/backfill/waits.sql,
#                   every 10 ms) and report the shares of CPU, WAL, locks and the rest per arm; the
#                   sampler costs a little CPU of its own, so leave it off for the latency figures
#   BENCH_PGROLL_BATCH  rows per batch of the pgroll arm (1000, pgroll's default)
#   BENCH_PGROLL_SQL    statements run on the pgroll arm's connection before its loop (e.g.
#                   "SET synchronous_commit = off"), to compare a server-side loop's settings
#   BENCH_TANDEM_ARGS  extra options for the tandem arm (e.g. "--target-batch-time 50ms"), to compare settings
#   TANDEM_JAR      run this jar (no build)        TANDEM_TARGET  Maven build directory of the jar
#                                                                 (target: cli/target/migrate.jar)
# Without TANDEM_JAR the jar is built (mvn -DskipTests package, with -Dtandem.target) when it is
# missing or older than the sources; BENCH_MVN_FLAGS adds Maven flags (e.g. -o).
# Output: bench/out/backfill/ (git-ignored): per arm the pgbench logs, the lock-wait samples and the
# arm's own output; results.tsv and summary.txt.
set -euo pipefail

here="$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
cd "$root"
files="$here/backfill"

rows="${BENCH_ROWS:-2000000}"
runs="${BENCH_RUNS:-1}"
rate="${BENCH_RATE:-200}"
clients="${BENCH_CLIENTS:-4}"
threads="${BENCH_THREADS:-2}"
baseline_s="${BENCH_BASELINE:-30}"
warmup_s="${BENCH_WARMUP:-5}"
arms="${BENCH_ARMS:-baseline update pgroll tandem}"
db="${BENCH_DB:-tandem_backfill_bench}"
pgroll_batch="${BENCH_PGROLL_BATCH:-1000}"
pgroll_sql="${BENCH_PGROLL_SQL:-}"
waits="${BENCH_WAITS:-0}"
out="$here/out/backfill"

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
unset PGDATABASE PGAPPNAME  # the workload is told apart from the backfill by pgbench's own application_name

bench_name=backfill-benchmark
# shellcheck source=lib.sh
. "$here/lib.sh"

require_positive rows runs rate clients threads baseline_s warmup_s pgroll_batch
for a in $arms; do
    case "$a" in baseline | update | pgroll | tandem) ;; *) die "unknown arm '$a' in BENCH_ARMS (baseline update pgroll tandem)" ;; esac
done
require_db_name "$db"
case "$PGHOST" in /*) die "PGHOST=$PGHOST is a Unix socket directory; Tandem's JDBC driver needs TCP (e.g. PGHOST=127.0.0.1)" ;; esac

# ---------------------------------------------------------------- tools
psql_bin="$(pg_bin psql)"
pgbench_bin="$(pg_bin pgbench)"
pgbench_major="$("$pgbench_bin" --version | sed -n 's/.* \([0-9][0-9]*\)\.[0-9].*/\1/p')"
# 15+: --max-tries 1 (no retries: a serialization or deadlock failure counts as an error) and
# failed transactions in the log; before 15 any error aborts the client, which is counted too.
failure_flags=()
[ "${pgbench_major:-0}" -ge 15 ] && failure_flags=(--max-tries=1 --failures-detailed)

q() { "$psql_bin" -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }
qa() { "$psql_bin" -X -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }

require_server

# ---------------------------------------------------------------- jar
target="${TANDEM_TARGET:-target}"
if [ -z "${TANDEM_JAR:-}" ]; then
    jar="$root/cli/$target/migrate.jar"
    stale=""
    [ -f "$jar" ] && stale="$(find "$root/engine/src/main" "$root/cli/src/main" "$root/pom.xml" "$root/engine/pom.xml" \
        "$root/cli/pom.xml" -newer "$jar" -print -quit 2>/dev/null || true)"
    if [ ! -f "$jar" ] || [ -n "$stale" ]; then
        echo "building $jar (mvn -DskipTests -Dtandem.target=$target package) ..."
        # The build needs a JDK 21+; the launcher finds one for running, Maven only uses JAVA_HOME.
        if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
            export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
        fi
        # shellcheck disable=SC2086 # a list of flags, split on purpose
        if ! mvn -B -q ${BENCH_MVN_FLAGS:-} -DskipTests "-Dtandem.target=$target" package >"$root/cli/$target.build.log" 2>&1; then
            [ -f "$jar" ] || { tail -30 "$root/cli/$target.build.log" >&2; die "the build failed (log: cli/$target.build.log)"; }
            echo "WARNING: the build failed (cli/$target.build.log); benchmarking the existing, older $jar" >&2
        fi
        rm -f "$root/cli/$target.build.log"
    fi
    export TANDEM_JAR="$jar"
fi
[ -f "$TANDEM_JAR" ] || die "TANDEM_JAR=$TANDEM_JAR not found"
migrate_version="$("$root/migrate" --version 2>/dev/null | head -n 1 || true)"

# Tandem's default lock_timeout as its help states it (e.g. "2s", "500ms"), in ms; empty if unreadable.
lock_timeout_text="$("$root/migrate" apply --help 2>/dev/null | tr '\n' ' ' | tr -s ' ' |
    sed -n 's/.*--lock-timeout=DURATION[^(]*(default: *\([0-9.]*[a-z]*\)).*/\1/p')"
lock_timeout_ms="$(awk -v t="$lock_timeout_text" 'BEGIN {
    if (match(t, /^[0-9.]+/)) { n = substr(t, 1, RLENGTH); u = substr(t, RLENGTH + 1) } else exit
    f = (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : (u == "h") ? 3600000 : 0
    if (f) printf "%d\n", n * f }')"

# ---------------------------------------------------------------- database
rm -rf "$out"
mkdir -p "$out"
workload_pid=""
sampler_pid=""
waits_pid=""
pinner_pid=""
cleanup() {
    [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null || true
    [ -n "$waits_pid" ] && kill "$waits_pid" 2>/dev/null || true
    [ -n "$workload_pid" ] && kill "$workload_pid" 2>/dev/null || true
    [ -n "$pinner_pid" ] && kill "$pinner_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    if [ -n "${pin:-}" ]; then unpin; fi
    if [ "${BENCH_KEEP:-0}" != 1 ]; then
        "$psql_bin" -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$psql_bin" -X -q -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" ||
    die "cannot create database $db"
server_version="$(qa -c 'SHOW server_version' | cut -d' ' -f1)"
jdbc_host="$PGHOST"
case "$jdbc_host" in *:*) jdbc_host="[$jdbc_host]" ;; esac  # an IPv6 literal
jdbc_url="jdbc:postgresql://$jdbc_host:$PGPORT/$db?user=$PGUSER"   # PGPASSWORD reaches Tandem from the environment

now_us() { date +%s%6N; }

# ---------------------------------------------------------------- BENCH_PIN
# The backfill's side: backends whose application_name is "tandem migrate" (Tandem's JVM) or
# "bench backfill" (the psql of the update and pgroll arms). A new backend is forked by the
# postmaster, which sits on the application's CPUs, so the pinner moves backends as they appear,
# every 0.2 s, for the whole arm.
pin=""
if [ "${BENCH_PIN:-0}" = 1 ]; then
    command -v taskset >/dev/null 2>&1 || die "BENCH_PIN=1 needs taskset (util-linux)"
    ncpu="$(nproc)"
    [ "$ncpu" -ge 2 ] || die "BENCH_PIN=1 needs 2 CPUs or more, this machine has $ncpu"
    app_cpus="0-$((ncpu - 2))"
    backfill_cpu="$((ncpu - 1))"
    all_cpus="0-$((ncpu - 1))"
    # the postmaster: the parent of a process that lives as long as the server
    checkpointer="$(qa -c "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'")"
    postmaster="$(ps -o ppid= -p "$checkpointer" 2>/dev/null | tr -d ' ' || true)"
    [ -n "$postmaster" ] || die "BENCH_PIN=1: the server's processes are not on this machine (its checkpointer, pid $checkpointer, is not)"
    taskset -pc "$app_cpus" "$postmaster" >/dev/null 2>&1 ||
        die "BENCH_PIN=1: cannot pin the server's processes (run as root or as the server's user)"
    pin=1
fi
server_pids() {  # every server process: the postmaster and what pg_stat_activity lists, with its side
    echo "$postmaster app"
    qa -F ' ' -c "SELECT pid, CASE WHEN application_name IN ('tandem migrate', 'bench backfill') THEN 'backfill' ELSE 'app' END
        FROM pg_stat_activity" 2>/dev/null || true
}
pinner() {
    local pid side
    while :; do
        while read -r pid side; do
            # || true: a listed backend may be gone already (the query's own, for one)
            if [ "$side" = backfill ]; then taskset -pc "$backfill_cpu" "$pid" || true; else taskset -pc "$app_cpus" "$pid" || true; fi
        done < <(server_pids) >/dev/null 2>&1
        sleep 0.2
    done
}
unpin() {
    local pid side
    while read -r pid side; do taskset -pc "$all_cpus" "$pid" >/dev/null 2>&1 || true; done < <(server_pids)
}
# Runs a command of the backfill's side on its CPU (a no-op without BENCH_PIN).
on_backfill_cpu() {
    if [ -n "$pin" ]; then taskset -c "$backfill_cpu" "$@"; else "$@"; fi
}
on_app_cpus() {
    if [ -n "$pin" ]; then taskset -c "$app_cpus" "$@"; else "$@"; fi
}

# A fresh table (dropping Tandem's state and Flyway's history of the previous arm), then VACUUM
# ANALYZE (visibility map, hint bits, statistics) and CHECKPOINT, so that no arm inherits dirty
# buffers or WAL from the one before.
prepare() {  # &&: run under ||, a function gets no errexit
    q -v rows="$rows" -f "$files/setup.sql" &&
        q -f "$files/pgroll.sql" &&
        q -c "VACUUM ANALYZE accounts" -c "CHECKPOINT"
}

# Waits until every pgbench log file holds a transaction scheduled after $2 (epoch us): pgbench
# writes its logs through stdio buffers, so the transactions of the arm are all on disk once later
# ones are. Gives up after 60 s (the tx column then shows what is missing).
wait_logged() {
    local prefix="$1" until="$2" deadline=$((SECONDS + 60)) f last ok
    while [ "$SECONDS" -lt "$deadline" ] && kill -0 "$workload_pid" 2>/dev/null; do
        ok=1
        for f in "$prefix".* ; do
            [ -f "$f" ] || { ok=0; break; }
            last="$(tail -n 50 "$f" | awk 'NF >= 6 && $3 ~ /^[0-9]+$/ { s = $5 * 1000000 + $6 - $3; if (s > m) m = s }
                END { printf "%.0f\n", m }')"
            [ "$last" -gt "$until" ] || { ok=0; break; }
        done
        [ "$ok" = 1 ] && return 0
        sleep 0.5
    done
}

# The pgbench logs without the line each may have been cut in when the workload was stopped (a
# log file is written through a stdio buffer): file by file, so that a cut line never joins the
# first line of the next file.
complete_lines() {
    local f
    for f in "$1".*; do
        [ -f "$f" ] || continue
        if [ -z "$(tail -c 1 "$f")" ]; then cat "$f"; else sed "\$d" "$f"; fi
    done
}

results="$out/results.tsv"
[ "$waits" = 1 ] && printf 'run\tarm\tsamples\tcpu_pct\twal_pct\tlock_pct\tother_pct\n' >"$out/waits.tsv"
printf 'run\tarm\tseconds\trows_per_s\ttx\texpected_tx\tp50_ms\tp99_ms\tmax_ms\terrors\tapp_lock_wait_ms\tbackfill_lock_wait_ms\tstatus\n' >"$results"

run_arm() {
    local run="$1" arm="$2" dir="$out/run$1-$2" t0 t1 rc=0 status=ok seconds rps tx n p50 p99 max failed aborted errors \
        app_wait bf_wait samples wrong expected
    mkdir -p "$dir"
    printf '[run %d] %-8s preparing %s rows ... ' "$run" "$arm" "$rows"
    prepare >"$dir/prepare.log" 2>&1 || { cat "$dir/prepare.log" >&2; die "preparing the table failed"; }

    if [ -n "$pin" ]; then
        pinner &
        pinner_pid=$!
        taskset -pc "$backfill_cpu" "$pinner_pid" >/dev/null  # its own cost off the application's CPUs
    fi
    # Lock-wait sampler: psql's \watch, stopped with SIGINT (psql then ends the watch, reads EOF
    # from its input and exits, flushing what it printed).
    { cat "$files/lockwaits.sql"; echo; echo '\watch 0.2'; } |
        "$psql_bin" -X -At -F ' ' -d "$db" >"$dir/lockwaits.txt" 2>"$dir/lockwaits.err" &
    sampler_pid=$!
    if [ "$waits" = 1 ]; then
        { cat "$files/waits.sql"; echo; echo '\watch 0.01'; } |
            "$psql_bin" -X -At -F ' ' -d "$db" >"$dir/waits.txt" 2>"$dir/waits.err" &
        waits_pid=$!
    fi
    # The workload, open loop; it is stopped when the arm is over (-T only caps a run gone wrong).
    on_app_cpus "$pgbench_bin" -n -f "$files/workload.sql" -D rows="$rows" -R "$rate" -c "$clients" -j "$threads" \
        -T 3600 --log --log-prefix="$dir/tx" "${failure_flags[@]}" "$db" >"$dir/pgbench.out" 2>"$dir/pgbench.err" &
    workload_pid=$!
    sleep "$warmup_s"
    kill -0 "$workload_pid" 2>/dev/null || { cat "$dir/pgbench.err" >&2; die "the workload stopped before the arm began"; }

    printf 'running ... '
    t0="$(now_us)"
    case "$arm" in
        baseline) sleep "$baseline_s" ;;
        update) PGAPPNAME="bench backfill" on_backfill_cpu "$psql_bin" -X -q -v ON_ERROR_STOP=1 -d "$db" \
            -c 'UPDATE accounts SET balance_cents = balance * 100' >"$dir/arm.log" 2>&1 || rc=$? ;;
        # pgroll sets lock_timeout 500ms on its connection (its --lock-timeout default).
        pgroll) PGAPPNAME="bench backfill" on_backfill_cpu "$psql_bin" -X -q -v ON_ERROR_STOP=1 -d "$db" \
            -c "SET lock_timeout = '500ms'" ${pgroll_sql:+-c "$pgroll_sql"} -c "CALL bench_pgroll_backfill($pgroll_batch)" \
            >"$dir/arm.log" 2>&1 || rc=$? ;;
        tandem) on_backfill_cpu "$root/migrate" apply "$files/migrations" --url "$jdbc_url" --phase all ${BENCH_TANDEM_ARGS:-} >"$dir/arm.log" 2>&1 || rc=$? ;;
    esac
    t1="$(now_us)"

    wait_logged "$dir/tx" $((t1 + 1000000))
    kill -INT "$sampler_pid" 2>/dev/null || true
    [ -n "$waits_pid" ] && kill -INT "$waits_pid" 2>/dev/null || true
    kill "$workload_pid" 2>/dev/null || true
    wait "$sampler_pid" 2>/dev/null || true
    [ -n "$waits_pid" ] && { wait "$waits_pid" 2>/dev/null || true; }
    wait "$workload_pid" 2>/dev/null || true
    sampler_pid=""
    waits_pid=""
    workload_pid=""
    if [ -n "$pin" ]; then
        kill "$pinner_pid" 2>/dev/null || true
        wait "$pinner_pid" 2>/dev/null || true
        pinner_pid=""
        unpin
    fi

    if [ "$rc" != 0 ]; then
        status="FAILED(exit $rc)"
        echo >&2
        tail -20 "$dir/arm.log" >&2
    elif [ "$arm" != baseline ]; then
        wrong="$(qa -c 'SELECT count(*) FROM accounts WHERE balance_cents IS DISTINCT FROM balance::bigint * 100')"
        [ "$wrong" = 0 ] || status="WRONG($wrong rows)"
    fi

    seconds="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')"
    rps="-"
    [ "$arm" != baseline ] && rps="$(awk -v a="$t0" -v b="$t1" -v n="$rows" 'BEGIN { printf "%d", n / ((b - a) / 1e6) }')"
    expected="$(awk -v a="$t0" -v b="$t1" -v r="$rate" 'BEGIN { printf "%d", (b - a) / 1e6 * r }')"
    complete_lines "$dir/tx" | awk -v from="$t0" -v to="$t1" -f "$files/window.awk" >"$dir/window.txt"
    failed="$(grep -c '^failed$' "$dir/window.txt" || true)"
    aborted="$(grep -c 'aborted' "$dir/pgbench.err" || true)"
    errors=$((failed + aborted))
    read -r tx p50 p99 max < <(grep -v '^failed$' "$dir/window.txt" | sort -n | awk -f "$files/percentiles.awk")
    read -r app_wait bf_wait samples < <(awk -v from=$((t0 / 1000)) -v to=$((t1 / 1000)) -f "$files/lockwaits.awk" "$dir/lockwaits.txt")
    [ "$samples" -gt 0 ] || { app_wait="-"; bf_wait="-"; }

    if [ "$waits" = 1 ]; then
        printf '%d\t%s\t%s\n' "$run" "$arm" "$(awk -v from=$((t0 / 1000)) -v to=$((t1 / 1000)) -f "$files/waits.awk" "$dir/waits.txt" |
            tr ' ' '\t')" >>"$out/waits.tsv"
    fi
    printf '%s s\n' "$seconds"
    printf '%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$arm" "$seconds" "$rps" "$tx" "$expected" \
        "$p50" "$p99" "$max" "$errors" "$app_wait" "$bf_wait" "$status" >>"$results"
}

started="$(date "+%F %H:%M")"
load_start="$(cut -d" " -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"  # other load on the machine skews latencies
echo "backfill benchmark: $rows rows, workload $rate tps ($clients clients), $runs run(s), PostgreSQL $server_version at $PGHOST:$PGPORT, ${migrate_version:-migrate}"
for ((run = 1; run <= runs; run++)); do
    order="$arms"
    # Even runs take the arms in reverse order, so that no arm always runs first (cold) or last.
    [ $((run % 2)) = 0 ] && order="$(printf '%s\n' $arms | tac | tr '\n' ' ')"
    for arm in $order; do run_arm "$run" "$arm"; done
done

# ---------------------------------------------------------------- report
# Medians per arm over the runs (the runs themselves are listed too when there are several).
medians="$out/medians.tsv"
awk -F'\t' "$(cat "$here/median.awk")"'
    NR > 1 {
        k = $2; if (!(k in cnt)) order[++arms] = k
        n = ++cnt[k]
        for (c = 3; c <= 12; c++) v[k, c, n] = $c
        if ($10 ~ /^[0-9]+$/) err[k] += $10
        if ($13 != "ok") bad[k] = $13
    }
    function column(k, c,   i, a, m) {  # the median of column c over the runs of arm k, "-" values left out
        m = 0
        for (i = 1; i <= cnt[k]; i++) if (v[k, c, i] != "-") a[++m] = v[k, c, i] + 0
        return (m == 0) ? "-" : median(a, m)
    }
    END {
        for (i = 1; i <= arms; i++) {
            k = order[i]
            printf "median\t%s", k
            for (c = 3; c <= 12; c++) printf "\t%s", (c == 10) ? err[k] + 0 : column(k, c)
            printf "\t%s\n", (k in bad) ? bad[k] : "ok"
        }
    }' "$results" >"$medians"

fmt_table() {
    awk -F'\t' -v lt="${lock_timeout_text:-?}" '
        function num(x, d) { return (x == "-" || x == "") ? "-" : sprintf("%." d "f", x) }
        function thousands(x,   s, r) {
            if (x == "-" || x == "") return "-"
            s = sprintf("%d", x); r = ""
            while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
            return s r
        }
        BEGIN {
            printf "%-6s %-9s %8s %9s %12s %8s %9s %10s %7s %10s %10s  %s\n", "run", "arm", "seconds", "rows/s", "tx (expected)",
                "p50 ms", "p99 ms", "max ms", "errors", "app wait", "bf wait", "status"
        }
        { printf "%-6s %-9s %8s %9s %12s %8s %9s %10s %7s %10s %10s  %s\n", $1, $2, num($3, 1), thousands($4),
            thousands($5) " (" thousands($6) ")", num($7, 2), num($8, 2), num($9, 1), $10, num($11, 0), num($12, 0), $13 }'
}

{
    echo
    echo "backfill benchmark $started: $rows rows, workload $rate tps open loop ($clients clients, $threads threads), warm-up ${warmup_s} s, baseline ${baseline_s} s"
    if [ -n "$pin" ]; then echo "BENCH_PIN=1: each arm's backfill (its backend, Tandem's JVM) on CPU $backfill_cpu; the rest of the server and pgbench on CPUs $app_cpus"; fi
    echo "machine: $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1), PostgreSQL $server_version, ${migrate_version:-migrate}, load average at start $load_start"
    echo "latencies: the workload's transactions scheduled during the arm (from the scheduled start, so queueing counts);"
    echo "app wait / bf wait: longest lock wait of the workload / the backfill, sampled from pg_locks every 0.2 s (ms)"
    if [ "$pgroll_batch" != 1000 ] || [ -n "$pgroll_sql" ]; then
        echo "pgroll arm: batches of $pgroll_batch${pgroll_sql:+, after: $pgroll_sql}"
    fi
    if [ "$runs" -gt 1 ]; then
        tail -n +2 "$results" | fmt_table
        echo
        echo "medians over $runs runs (errors: total):"
        fmt_table <"$medians" | tail -n +2
    else
        tail -n +2 "$results" | fmt_table
    fi
    if [ "$waits" = 1 ]; then
        echo
        echo "what the workload's running statements waited for (pg_stat_activity every 10 ms; CPU: no wait event, on a CPU"
        echo "or ready for one; WAL: writing, flushing or creating WAL, or waiting for whoever does; Lock: row and transaction locks):"
        awk -F'\t' 'NR == 1 { printf "%-6s %-9s %8s %6s %6s %6s %6s\n", "run", "arm", "samples", "CPU %", "WAL %", "Lock %", "other %"; next }
            { printf "%-6s %-9s %8s %6s %6s %6s %6s\n", $1, $2, $3, $4, $5, $6, $7 }' "$out/waits.tsv"
    fi
} | tee "$out/summary.txt"

# ---------------------------------------------------------------- verdict
verdict="$(awk -F'\t' -v lt_ms="${lock_timeout_ms:-}" -v lt="${lock_timeout_text:-}" '
    function thousands(x,   s, r) {
        s = sprintf("%d", x); r = ""
        while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
        return s r
    }
    { seconds[$2] = $3; rps[$2] = $4; p99[$2] = $8; errors[$2] = $10; appw[$2] = $11; bfw[$2] = $12; status[$2] = $13 }
    function met(ok) { if (!ok) missed++; return ok ? "met" : "MISSED" }
    END {
        if (!("tandem" in rps)) { print "no verdict: the tandem arm did not run"; exit }
        if (status["tandem"] != "ok") { printf "verdict: MISSED: the tandem arm %s\n", status["tandem"]; exit }
        s = "verdict:"
        if ("update" in rps && status["update"] == "ok") {
            r = rps["tandem"] / rps["update"]
            s = s sprintf(" Tandem %s rows/s = %.2fx the single UPDATE (>= 0.5x: %s);", thousands(rps["tandem"]), r, met(r >= 0.5))
        } else s = s " no single-UPDATE arm to compare rows/s with;"
        if ("baseline" in p99 && p99["baseline"] > 0) {
            r = p99["tandem"] / p99["baseline"]
            s = s sprintf(" workload p99 %.2f ms = %.2fx baseline %.2f ms (<= 2x: %s);", p99["tandem"], r, p99["baseline"], met(r <= 2))
        } else s = s " no baseline p99 to compare with;"
        s = s sprintf(" workload errors %d (0: %s)", errors["tandem"], met(errors["tandem"] == 0))
        if (lt_ms != "" && appw["tandem"] != "-") {
            w = (appw["tandem"] > bfw["tandem"]) ? appw["tandem"] : bfw["tandem"]
            s = s sprintf("; longest lock wait %d ms (<= lock_timeout %s: %s)", w, lt, met(w <= lt_ms))
        }
        print s (missed ? sprintf(" -> %d target(s) MISSED", missed) : " -> all targets met")
    }' "$medians")"
echo
echo "$verdict" | tee -a "$out/summary.txt"

# One line for the README.
readme="$(awk -F'\t' -v pinned="$pin" -v date="$(date +%F)" -v rows="$rows" -v rate="$rate" -v cpus="$(nproc)" -v pg="$server_version" -v runs="$runs" -v pgroll_batch="$pgroll_batch" '
    function thousands(x,   s, r) {
        s = sprintf("%d", x); r = ""
        while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
        return s r
    }
    { a[$2] = 1; sec[$2] = $3; rps[$2] = $4; p99[$2] = $8; mx[$2] = $9; err[$2] = $10 }
    END {
        s = sprintf("backfill benchmark %s: %s rows, workload %s tps", date, thousands(rows), rate)
        if ("baseline" in a) s = s sprintf(" (p99 %.1f ms alone)", p99["baseline"])
        s = s ":"
        n = split("update|single UPDATE;pgroll|pgroll-style batches of " thousands(pgroll_batch) ";tandem|Tandem", names, ";")
        for (i = 1; i <= n; i++) {
            split(names[i], kv, "|")
            if (!(kv[1] in a)) continue
            s = s sprintf(" %s %.1f s (%s rows/s, workload p99 %.1f ms, max %.0f ms, %d errors);", kv[2], sec[kv[1]],
                thousands(rps[kv[1]]), p99[kv[1]], mx[kv[1]], err[kv[1]])
        }
        sub(/;$/, "", s)
        printf "%s; %s cores%s, PostgreSQL %s%s\n", s, cpus, pinned ? " (BENCH_PIN=1: the backfill on a core of its own)" : "", pg,
            (runs > 1) ? sprintf(", medians of %d runs", runs) : ""
    }' "$medians")"
echo "$readme" | tee -a "$out/summary.txt"

if [ "${BENCH_STRICT:-0}" = 1 ]; then
    case "$verdict" in *MISSED* | "no verdict"*) exit 1 ;; esac
fi
