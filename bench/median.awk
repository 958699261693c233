# median(a, m): the median of a[1..m] (sorted in place; insertion sort, m is a handful of runs).
# Prepended to a report's own program: awk "$(cat bench/median.awk)"' …' (portable awk has no -f beside program text).
function median(a, m,   i, j, t) {
    for (i = 2; i <= m; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
}
