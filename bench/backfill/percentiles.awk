# Latency summary of one arm: reads latencies in microseconds sorted ascending (sort -n), prints
#   count p50_ms p99_ms max_ms
# with nearest-rank percentiles (the value at rank ceil(p * n)); "0 - - -" for no input.
{ v[++n] = $1 }
function rank(p,   r) { r = int(p * n); if (r < p * n) r++; if (r < 1) r = 1; return v[r] }
END {
    if (n == 0) { print "0 - - -"; exit }
    printf "%d %.2f %.2f %.2f\n", n, rank(0.50) / 1000, rank(0.99) / 1000, v[n] / 1000
}
