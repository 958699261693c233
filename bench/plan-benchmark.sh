#!/usr/bin/env bash
# Plan benchmark: `migrate plan` over a generated Flyway history of 1,000 files / 10,000 statements.
#
#   bench/plan-benchmark.sh            (from the repository root, or anywhere)
#
# Generates the history deterministically (fixed seed, own PRNG: identical with gawk and mawk) in
# bench/out/ (git-ignored), builds cli/target/migrate.jar if it is missing, then times
#   ./migrate plan bench/out/flyway-1000 --format json > /dev/null
# with hyperfine when installed (else a loop over `date +%s%N`), measures the peak RSS with
# /usr/bin/time -v (else from /proc), and prints a one-line summary for the README.
# Target: under 2 s wall, JVM start included, on 2 cores.
#
# Environment: BENCH_RUNS (default 10), BENCH_WARMUP (default 2), BENCH_FILES (1000),
# BENCH_STATEMENTS (10000), BENCH_SEED (20240611), TANDEM_JAR (run another jar, no build),
# TANDEM_JAVA_OPTS (extra JVM flags, passed on by the launcher).
set -euo pipefail

here="$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
cd "$root"

files="${BENCH_FILES:-1000}"
statements="${BENCH_STATEMENTS:-10000}"
seed="${BENCH_SEED:-20240611}"
runs="${BENCH_RUNS:-10}"
warmup="${BENCH_WARMUP:-2}"
out="$here/out"
history="$out/flyway-$files"

# ---------------------------------------------------------------- history
rm -rf "$history"
mkdir -p "$history"
awk -v dir="$history" -v files="$files" -v statements="$statements" -v seed="$seed" \
    -f "$here/generate-history.awk" >"$out/history.txt"
echo "history: $history ($(cat "$out/history.txt"), $(du -sh "$history" | cut -f1))"

# ---------------------------------------------------------------- jar
if [ -z "${TANDEM_JAR:-}" ] && [ ! -f "$root/cli/target/migrate.jar" ]; then
    echo "building cli/target/migrate.jar (mvn -q -DskipTests package) ..."
    mvn -B -q -DskipTests package
fi

cmd=("$root/migrate" plan "$history" --format json)

# One run first: it must succeed (exit 0, or 1 for findings; 2 would mean the history does not
# parse), and it writes the class-data-sharing archive the timed runs use.
set +e
"${cmd[@]}" >"$out/plan.json" 2>"$out/plan.err"
rc=$?
set -e
if [ "$rc" -gt 1 ]; then
    echo "migrate plan failed (exit $rc):" >&2
    head -20 "$out/plan.err" >&2
    exit 1
fi
echo "first run: exit $rc, $(wc -c <"$out/plan.json") bytes of JSON"

# ---------------------------------------------------------------- wall time
quoted="$(printf '%q ' "${cmd[@]}")"
if command -v hyperfine >/dev/null 2>&1; then
    # -N: no intermediate shell; -i: exit 1 (findings) is a normal outcome here.
    hyperfine -N -i --warmup "$warmup" --runs "$runs" --export-csv "$out/hyperfine.csv" \
        --output=null "${quoted% }" >"$out/hyperfine.txt" 2>&1 || { cat "$out/hyperfine.txt" >&2; exit 1; }
    cat "$out/hyperfine.txt"
    # command,mean,stddev,median,user,system,min,max
    read -r mean min < <(awk -F, 'NR == 2 { printf "%.3f %.3f\n", $2, $7 }' "$out/hyperfine.csv")
    tool="hyperfine, $runs runs"
else
    for ((i = 0; i < warmup; i++)); do "${cmd[@]}" >/dev/null 2>&1 || true; done
    times=()
    for ((i = 0; i < runs; i++)); do
        t0=$(date +%s%N)
        "${cmd[@]}" >/dev/null 2>&1 || true
        t1=$(date +%s%N)
        times+=($(((t1 - t0) / 1000000)))
    done
    read -r mean min < <(printf '%s\n' "${times[@]}" |
        awk '{ s += $1; if (NR == 1 || $1 < m) m = $1 } END { printf "%.3f %.3f\n", s / NR / 1000, m / 1000 }')
    tool="date loop, $runs runs"
fi

# ---------------------------------------------------------------- peak RSS
if [ ! -x /usr/bin/time ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq time >/dev/null 2>&1 || true
fi
if [ -x /usr/bin/time ]; then
    /usr/bin/time -v "${cmd[@]}" >/dev/null 2>"$out/time.txt" || true
    rss_kb=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$out/time.txt")
else
    # Without GNU time: sample VmHWM (the high-water mark, so a late sample suffices) while it runs.
    "${cmd[@]}" >/dev/null 2>&1 &
    pid=$!
    rss_kb=0
    while kill -0 "$pid" 2>/dev/null; do
        v=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
        [ -n "$v" ] && [ "$v" -gt "$rss_kb" ] && rss_kb=$v
        sleep 0.02
    done
    wait "$pid" || true
fi
rss_mb=$((rss_kb / 1024))

# ---------------------------------------------------------------- summary
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)"
jdk="$("$root/migrate" --version 2>/dev/null | sed -n 2p)"   # "Java 25.0.3 (Eclipse Adoptium), Linux amd64"
verdict=$(awk -v m="$mean" 'BEGIN { print (m < 2.0 ? "under" : "OVER") }')
printf '\nplan benchmark %s: %s files / %s statements, --format json: mean %.2f s, min %.2f s, peak RSS %d MB (%s; target 2 s: %s) on %s x %s, %s\n' \
    "$(date +%F)" "$files" "$statements" "$mean" "$min" "$rss_mb" "$tool" "$verdict" "$(nproc)" "${cpu:-unknown CPU}" "${jdk:-unknown JDK}"
