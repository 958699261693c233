package dev.tandem.cli;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import dev.tandem.exec.ExecOptions;
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
        spec.addOption(OptionSpec.builder("--batch-size").paramLabel("ROWS").type(int.class)
                .defaultValue(Integer.toString(d.batchSize()))
                .description("Rows per backfill batch, each in a transaction of its own (default: ${DEFAULT-VALUE}).")
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
        int batch = value(spec, "--batch-size");
        Duration wait = value(spec, "--wait");
        for (Map.Entry<String, Duration> e : Map.of("--lock-timeout", lockTimeout, "--statement-timeout", statementTimeout,
                "--max-retry-time", retryTime).entrySet()) {
            if (e.getValue().toMillis() < 1) {
                throw new TandemException(ErrorCode.INVALID_ARGUMENT, e.getKey() + " must be at least 1ms, not "
                        + Durations.format(e.getValue()));
            }
        }
        if (attempts < 1) throw new TandemException(ErrorCode.INVALID_ARGUMENT, "--max-attempts must be at least 1, not " + attempts);
        if (batch < 1) throw new TandemException(ErrorCode.INVALID_ARGUMENT, "--batch-size must be at least 1, not " + batch);
        ExecOptions o = ExecOptions.DEFAULTS.withLockTimeout(lockTimeout).withDdlStatementTimeout(statementTimeout)
                .withRetries(attempts, retryTime).withBatchSize(batch);
        return wait == null ? o : o.withWaitForRunLock(wait);
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
