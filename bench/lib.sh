# Shared by the workload benchmarks (backfill-benchmark.sh, cpu-bursts.sh); sourced, not run.
# The sourcing script sets bench_name (its name in messages) first.

die() { echo "$bench_name: $*" >&2; exit 2; }

# Each named variable must hold a positive integer.
require_positive() {
    local v
    for v in "$@"; do
        case "${!v}" in '' | *[!0-9]*) die "$v must be a positive integer, not '${!v}'" ;; esac
        [ "${!v}" -gt 0 ] || die "$v must be a positive integer, not '${!v}'"
    done
}

# A database name the scripts can use unquoted, and drop.
require_db_name() {
    case "$1" in *[!a-z0-9_]* | '') die "BENCH_DB must be a plain lower-case name, not '$1'" ;; esac
}

pg_bin() {  # psql/pgbench on PATH, else the newest /usr/lib/postgresql/N/bin
    if command -v "$1" >/dev/null 2>&1; then command -v "$1"; return; fi
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
        [ -x "$d/$1" ] && { echo "$d/$1"; return; }
    done
    die "$1 not found (install the PostgreSQL client, or put its bin directory on PATH)"
}

# The server answers (psql_bin set).
require_server() {
    "$psql_bin" -X -At -d postgres -c 'SELECT 1' >/dev/null 2>&1 ||
        die "cannot connect to PostgreSQL at $PGHOST:$PGPORT as $PGUSER (set PGHOST, PGPORT, PGUSER, PGPASSWORD)"
}
