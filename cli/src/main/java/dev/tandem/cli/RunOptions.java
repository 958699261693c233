package dev.tandem.cli;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import dev.tandem.exec.BackfillOptions;
import dev.tandem.exec.ExecOptions;
import dev.tandem.throttle.ThrottleFactory;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The options {@code migrate apply} and {@code migrate rollback} share: where the database is and
 * how steps run against it (lock_timeout, retries, the run lock), with defaults from
 * {@link ExecOptions#DEFAULTS}.
 */
final class RunOptions {
    private RunOptions() {}

    static void addConnection(CommandSpec spec) {
        spec.addOption(OptionSpec.builder("--url").paramLabel("URL").type(String.class)
                .description("The database: jdbc:postgresql://host:port/db, postgres://user@host/db or a libpq "
                        + "'host=… dbname=…' string. Default: $DATABASE_URL, else the PGHOST, PGPORT, PGDATABASE, "
                        + "PGUSER and PGPASSWORD variables (and ~/.pgpass), as psql would connect.").build());
    }

    static void addExecution(CommandSpec spec) {
        ExecOptions d = ExecOptions.DEFAULTS;
        spec.addOption(OptionSpec.builder("--lock-timeout").paramLabel("DURATION").type(Duration.class)
                .converters(new Durations()).defaultValue(Durations.format(d.lockTimeout()))
                .description("lock_timeout of every step: the longest a step queues for its lock, and so the longest "
                        + "application queries queue behind it (default: ${DEFAULT-VALUE}). A step that times out is "
                        + "retried with backoff.").build());
        spec.addOption(OptionSpec.builder("--statement-timeout").paramLabel("DURATION").type(Duration.class)
                .converters(new Durations()).defaultValue(Durations.format(d.ddlStatementTimeout()))
                .description("statement_timeout of catalog-only DDL steps (default: ${DEFAULT-VALUE}); concurrent index "
                        + "builds, VALIDATE and backfill batches run without one.").build());
        spec.addOption(OptionSpec.builder("--max-attempts").paramLabel("N").type(int.class)
                .defaultValue(Integer.toString(d.maxAttempts()))
                .description("Attempts per step on lock timeouts, deadlocks and serialization failures "
                        + "(default: ${DEFAULT-VALUE}).").build());
        spec.addOption(OptionSpec.builder("--max-retry-time").paramLabel("DURATION").type(Duration.class)
                .converters(new Durations()).defaultValue(Durations.format(d.maxRetryTime()))
                .description("No retry starts later than this after a step's first attempt (default: ${DEFAULT-VALUE}).")
                .build());
        spec.addOption(OptionSpec.builder("--wait").paramLabel("DURATION").type(Duration.class).arity("0..1")
                .converters(new Durations()).fallbackValue("0s")
                .description("When another migrate run holds the database's run lock, wait for it (up to DURATION, "
                        + "without limit when none is given) instead of exiting with code 3.").build());
    }

    static ExecOptions execOptions(CommandSpec spec) {
        Duration lockTimeout = value(spec, "--lock-timeout");
        Duration statementTimeout = value(spec, "--statement-timeout");
        int attempts = value(spec, "--max-attempts");
        Duration retryTime = value(spec, "--max-retry-time");
        Duration wait = value(spec, "--wait");
        for (Map.Entry<String, Duration> e : Map.of("--lock-timeout", lockTimeout, "--statement-timeout", statementTimeout,
                "--max-retry-time", retryTime).entrySet()) {
            if (e.getValue().toMillis() < 1) {
                throw new TandemException(ErrorCode.INVALID_ARGUMENT, e.getKey() + " must be at least 1ms, not "
                        + Durations.format(e.getValue()));
            }
        }
        if (attempts < 1) throw new TandemException(ErrorCode.INVALID_ARGUMENT, "--max-attempts must be at least 1, not " + attempts);
        ExecOptions o = ExecOptions.DEFAULTS.withLockTimeout(lockTimeout).withDdlStatementTimeout(statementTimeout)
                .withRetries(attempts, retryTime);
        return wait == null ? o : o.withWaitForRunLock(wait);
    }

    /** How {@code migrate apply} runs backfills: batch sizes, timeouts, throttle limits, metrics. */
    static void addBackfill(CommandSpec spec) {
        BackfillOptions d = BackfillOptions.DEFAULTS;
        spec.addOption(OptionSpec.builder("--batch-size").paramLabel("ROWS").type(Integer.class)
                .description("Backfill batches of exactly ROWS rows. Default: adaptive, aiming each batch at "
                        + "--target-batch-time.").build());
        spec.addOption(OptionSpec.builder("--target-batch-time").paramLabel("DURATION").type(Duration.class)
                .converters(new Durations()).defaultValue(Durations.format(d.targetBatchTime()))
                .description("How long each backfill batch (one short transaction) should take; the batch size grows by "
                        + "at most a quarter per batch towards it and shrinks at once (default: ${DEFAULT-VALUE}).").build());
        spec.addOption(OptionSpec.builder("--min-batch").paramLabel("ROWS").type(int.class)
                .defaultValue(Integer.toString(d.minBatch()))
                .description("Smallest adaptive batch (default: ${DEFAULT-VALUE}).").build());
        spec.addOption(OptionSpec.builder("--max-batch").paramLabel("ROWS").type(int.class)
                .defaultValue(Integer.toString(d.maxBatch()))
                .description("Largest adaptive batch (default: ${DEFAULT-VALUE}).").build());
        spec.addOption(OptionSpec.builder("--batch-timeout").paramLabel("DURATION").type(Duration.class)
                .converters(new Durations()).defaultValue(Durations.format(d.batchTimeout()))
                .description("statement_timeout of each batch; a batch that hits it is rolled back and split in half "
                        + "(default: ${DEFAULT-VALUE}).").build());
        spec.addOption(OptionSpec.builder("--nice-ratio").paramLabel("RATIO").type(double.class)
                .defaultValue(Double.toString(d.niceRatio()))
                .description("After each backfill batch, rest RATIO times its duration, holding nothing (as gh-ost's "
                        + "nice-ratio; default: ${DEFAULT-VALUE}). It lowers the backfill's average WAL and I/O rate; on a "
                        + "server with few cores it does not lower the application's p99 latency (see the README).").build());
        spec.addOption(OptionSpec.builder("--throttle").paramLabel("NAME=VALUE").type(Map.class)
                .auxiliaryTypes(String.class, String.class)
                .description("A throttle limit, repeatable, the names of migrate backfill set: "
                        + String.join(", ", Throttles.defaults().settingNames().stream().sorted().toList())
                        + ". See the README for the defaults.").build());
        spec.addOption(OptionSpec.builder("--no-throttle").arity("0")
                .description("Run backfill batches without health checks (replication lag, blocked sessions, …). Only "
                        + "for a database nothing else uses.").build());
        spec.addOption(OptionSpec.builder("--metrics-port").paramLabel("PORT").type(Integer.class)
                .description("Serve the backfill's metrics for Prometheus on http://0.0.0.0:PORT/metrics while the run "
                        + "lasts (0: any free port, printed).").build());
    }

    /** The backfill options of {@link #addBackfill}; bad values exit 2 with the option's name. */
    static BackfillOptions backfillOptions(CommandSpec spec) {
        Integer fixed = value(spec, "--batch-size");
        Duration target = value(spec, "--target-batch-time");
        int min = value(spec, "--min-batch");
        int max = value(spec, "--max-batch");
        Duration timeout = value(spec, "--batch-timeout");
        double nice = value(spec, "--nice-ratio");
        Map<String, String> limits = value(spec, "--throttle");
        boolean off = Boolean.TRUE.equals(value(spec, "--no-throttle"));
        try {
            if (fixed != null && fixed < 1) throw new IllegalArgumentException("--batch-size must be at least 1, not " + fixed);
            if (off && limits != null && !limits.isEmpty()) {
                throw new IllegalArgumentException("--throttle and --no-throttle contradict each other: give one");
            }
            ThrottleFactory throttle = off ? ThrottleFactory.NONE : Throttles.defaults().with(limits == null ? Map.of() : limits);
            int lo = fixed != null ? fixed : min;
            int hi = fixed != null ? fixed : max;
            int first = fixed != null ? fixed : Math.max(min, Math.min(max, BackfillOptions.DEFAULTS.initialBatch()));
            // one constructor call: its checks across options see them all at once
            return new BackfillOptions(first, lo, hi, target, timeout, nice, throttle);
        } catch (IllegalArgumentException e) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT, e.getMessage());
        }
    }

    static <T> T value(CommandSpec spec, String option) {
        return spec.findOption(option).getValue();
    }

    /** Exit codes 3 and 4 as apply and rollback document them, added to {@code codes}. */
    static Map<String, String> lockedAndInternal(Map<String, String> codes) {
        codes.put("3", "another migrate run holds the database's run lock (use --wait to wait for it)");
        codes.put("4", "internal error: a bug in Tandem (please report it; --debug prints the stack trace)");
        return codes;
    }
}
