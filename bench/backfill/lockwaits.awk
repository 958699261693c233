# Longest lock wait seen by the sampler (lockwaits.sql under psql's \watch) inside one arm:
#   awk -v from=MS -v to=MS -f lockwaits.awk SAMPLES
# Input lines: epoch_ms app_wait_ms backfill_wait_ms. Prints: app_max_ms backfill_max_ms samples.
NF == 3 && $1 ~ /^[0-9]+$/ && $1 >= from && $1 <= to {
    samples++
    if ($2 > app) app = $2
    if ($3 > other) other = $3
}
END { printf "%d %d %d\n", app, other, samples }
