# The workload's wait events sampled in one arm (waits.sql under psql's \watch), as shares:
#   awk -v from=MS -v to=MS -f waits.awk SAMPLES
# Input lines: epoch_ms event. Prints one line: the samples of active sessions, then the shares
# (percent) of CPU, WAL (IO/WAL* and LWLock/WAL*: writing, flushing, creating WAL segments, or
# waiting for the lock of whoever does), Lock (heavyweight locks: rows, transactions) and the rest.
NF == 2 && $1 ~ /^[0-9]+$/ && $1 >= from && $1 <= to {
    n++
    if ($2 == "CPU") cpu++
    else if ($2 ~ /^(IO|LWLock)\/WAL/) wal++
    else if ($2 ~ /^Lock\//) lock++
    else other++
}
END {
    if (n == 0) { print "0 - - - -"; exit }
    printf "%d %.0f %.0f %.0f %.0f\n", n, 100 * cpu / n, 100 * wal / n, 100 * lock / n, 100 * other / n
}
