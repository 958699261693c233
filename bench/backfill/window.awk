# The workload's transactions that belong to one arm, from pgbench's per-transaction logs
# (pgbench --log, one file per thread):
#   client_id transaction_no time script_no time_epoch time_us [schedule_lag] [failure_type]
# time is the latency in microseconds, counted from the scheduled start under --rate (so it
# includes the time the transaction waited for its connection), or "failed" with
# --failures-detailed; time_epoch.time_us is when the transaction ended.
#   awk -v from=US -v to=US -f window.awk LOGS...
# Prints the latency (us) of every transaction scheduled in [from, to), and "failed" for every
# failed one that ended at or after from (its scheduled start is not logged; the workload stops
# shortly after the arm, so what ends after from failed during the arm or its tail).
# Only comparisons use the epoch microseconds (~1.7e15, exact in a double); nothing large is printed.
NF >= 6 && $5 ~ /^[0-9]+$/ {
    end = $5 * 1000000 + $6
    if ($3 ~ /^[0-9]+$/) {
        start = end - $3
        if (start >= from && start < to) print $3
    } else if ($3 == "failed" && end >= from) {
        print "failed"
    }
}
