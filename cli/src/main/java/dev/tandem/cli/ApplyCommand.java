package dev.tandem.cli;

import dev.tandem.classify.ClassifiedSet;
import dev.tandem.classify.Classifier;
import dev.tandem.classify.rules.RuleRegistry;
import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import dev.tandem.exec.ApplyResult;
import dev.tandem.exec.ConnectionFactory;
import dev.tandem.exec.Executor;
import dev.tandem.exec.FlywayHistorySync;
import dev.tandem.exec.ReleaseHistory;
import dev.tandem.exec.StoredRelease;
import dev.tandem.plan.Phase;
import dev.tandem.plan.Planner;
import dev.tandem.plan.ReleasePlan;
import dev.tandem.plan.Unplanned;
import dev.tandem.source.Migration;
import dev.tandem.state.ReleaseSource;
import dev.tandem.state.ReleaseStatus;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code migrate apply}: runs phases of the release against the database. A new release is planned
 * from the pending migrations against the live schema and recorded with its plan; a release that
 * is already under way is continued with the plan it was recorded with (after its expand the live
 * schema holds its copy columns and triggers, so planning it again would give another plan), once
 * the migration files are found unchanged.
 */
final class ApplyCommand implements Callable<Integer> {
    /** The phases {@code --phase} names; {@code all} stops before contract when contract has steps. */
    enum PhaseChoice { EXPAND, BACKFILL, CONTRACT, ALL }

    private final CommandSpec spec;
    private final Terminal terminal;

    private ApplyCommand(Terminal terminal) {
        this.terminal = terminal;
        spec = CommandSpec.wrapWithoutInspection(this);
        spec.name("apply");
        spec.usageMessage()
                .sortOptions(false)
                .description("Runs the release plan of the pending migrations against the database, phase by phase, "
                                + "while the application keeps working: every step under lock_timeout with retries, "
                                + "concurrent index builds outside transactions, backfills in short batches. Progress "
                                + "is recorded in the database (schema tandem): a run that is stopped or killed is "
                                + "continued by the next one, which repeats no finished step.",
                        "",
                        "Deploy order: apply --phase expand, then backfill (or --phase all for both); deploy the "
                                + "new application version; then apply --phase contract. Once contract is done, "
                                + "Flyway's history lists the migrations as applied.")
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(exitCodes())
                .footerHeading("%nExamples:%n")
                .footer("  migrate apply db/migration --url postgres://app@db/shop --phase expand",
                        "  DATABASE_URL=postgres://app@db/shop migrate apply db/migration --phase all --lock-timeout 1s",
                        "  migrate apply db/migration --phase contract --wait 10m");
        PlanInput.addInput(spec);
        RunOptions.addConnection(spec);
        spec.addOption(OptionSpec.builder("--phase").paramLabel("PHASE").type(PhaseChoice.class)
                .converters(new PhaseConverter()).required(true)
                .description("expand, backfill, contract, or all: expand and backfill, and contract too when it has "
                        + "no steps (when it has, it runs only when asked for by name, after the deploy).").build());
        RunOptions.addExecution(spec);
        RunOptions.addBackfill(spec);
        PlanInput.addSourceOptions(spec);
        spec.addOption(MigrateCommand.debugOption());
        spec.addOption(MigrateCommand.helpOption());
    }

    static CommandSpec spec(Terminal terminal) {
        return new ApplyCommand(terminal).spec;
    }

    static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("0", "done: the phases asked for ran to the end (or had run already)");
        codes.put("1", "a step failed (the message names the migration, line, SQL and PostgreSQL's error; the next run "
                + "resumes at that step), the release cannot be planned as a whole, or the phase asked for conflicts "
                + "with the recorded release");
        codes.put("2", "bad input: unreadable or unparsable migrations, a migration file changed under a release "
                + "that is under way, a bad option, or the database cannot be reached");
        return RunOptions.lockedAndInternal(codes);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunLog log = new RunLog(out, terminal.stdoutIsTerminal(), Clock.systemUTC());
        var options = RunOptions.execOptions(spec).withBackfill(RunOptions.backfillOptions(spec)).withListener(log);
        PhaseChoice choice = RunOptions.value(spec, "--phase");
        ConnectionSettings db = ConnectionSettings.resolve(RunOptions.value(spec, "--url"));
        ConnectionFactory factory = db.factory();

        LivePlanInput live = LivePlanInput.read(db.jdbcUrl(), db.user(), db.password());
        PlanInput in = PlanInput.resolve(spec, live.version(), err);
        List<Migration> all = in.load(err);
        List<ReleaseSource> now = ReleaseSource.of(all);

        StoredRelease under = Executor.unfinished(factory).orElse(null);
        ReleasePlan plan;
        List<ReleaseSource> sources;
        if (under != null) {
            plan = continued(under, now);
            sources = under.sources();
            err.println("migrate: continuing release " + under.release().id() + " (" + under.release().status().id()
                    + ", migrations " + String.join(", ", under.release().migrations()) + ") at " + db.display());
        } else {
            List<Migration> pending = notAppliedByTandem(live.pending(all, in.kind(), err), Executor.appliedSources(factory));
            if (pending.isEmpty()) {
                out.println("Nothing to apply: every migration is applied.");
                return MigrateCommand.EXIT_OK;
            }
            // Classified for the session the steps will run in (its TimeZone decides whether
            // timestamp ↔ timestamptz rewrites), which is the one the catalog was read with.
            ClassifiedSet set = new Classifier(RuleRegistry.all(), live.version(), live.catalog().session())
                    .classify(pending, live.schema().copy());
            plan = new Planner().plan(set, live.schema().copy());
            if (!plan.executable()) {
                err.println("migrate: the release cannot run as a whole: " + plan.unplanned().size()
                        + " statement(s) have no steps in its plan (nothing was applied):");
                for (Unplanned u : plan.unplanned()) {
                    err.println("  migration " + u.migration() + ", line " + u.line() + ": " + u.message());
                }
                err.println("Run 'migrate plan' with the same input for the whole report and what to do instead.");
                return MigrateCommand.EXIT_FINDINGS;
            }
            Set<String> labels = pending.stream().map(Migration::label).collect(Collectors.toSet());
            sources = now.stream().filter(s -> labels.contains(s.label())).toList();
        }

        Set<Phase> phases = phases(choice, plan);
        ReleaseHistory history = in.kind() == PlanInput.Kind.FLYWAY
                ? new FlywayHistorySync(in.path(), PlanInput.placeholders(spec), db.jdbcUrl(), db.user(), db.password())
                : ReleaseHistory.NONE;
        if (phases.contains(Phase.BACKFILL) && !plan.steps(Phase.BACKFILL).isEmpty()) {
            checkThrottlePrivileges(factory, options.backfill().throttle());
        }
        Integer metricsPort = RunOptions.value(spec, "--metrics-port");
        ApplyResult result;
        try (MetricsServer metrics = metricsPort == null ? null : MetricsServer.start(metricsPort)) {
            if (metrics != null) {
                options = options.withMeters(metrics.registry());
                err.println("migrate: metrics on http://0.0.0.0:" + metrics.port() + "/metrics while this run lasts");
            }
            result = Executor.apply(factory, plan, sources, phases, options, history);
        } finally {
            log.endBar();
        }
        report(out, result, plan, phases, in.kind());
        return MigrateCommand.EXIT_OK;
    }

    /** Before anything runs, not when the backfill opens its throttle after expand. */
    private static void checkThrottlePrivileges(ConnectionFactory factory, dev.tandem.throttle.ThrottleFactory throttle) {
        try (java.sql.Connection c = factory.connect()) {
            throttle.checkPrivileges(c);
        } catch (java.sql.SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                throw new TandemException(ErrorCode.INVALID_ARGUMENT, e.getMessage() + ". Nothing was applied.");
            }
            throw new TandemException(ErrorCode.DATABASE_UNAVAILABLE, "cannot check the role's privileges: " + e.getMessage(), e);
        }
    }

    /** The stored plan of a release under way, when its migration files are as they were. */
    private static ReleasePlan continued(StoredRelease under, List<ReleaseSource> now) {
        long id = under.release().id();
        if (under.plan() == null) {
            throw new TandemException(ErrorCode.RELEASE_CONFLICT, "release " + id + " was recorded by an older migrate that"
                    + " did not store its plan: finish or roll it back with that version");
        }
        List<String> changes = under.changes(now);
        if (!changes.isEmpty()) {
            throw new TandemException(ErrorCode.MIGRATION_CHANGED, "release " + id + " is under way (" + under.release().status().id()
                    + ") and its migration files changed since it started: " + String.join("; ", changes)
                    + ". Nothing was applied. Put the files back as they were (for example with git) and finish the release,"
                    + " or roll it back with them (migrate rollback); then make the change in a new migration.");
        }
        return under.plan();
    }

    /** A migration a done release of Tandem's ran, unchanged, is not pending (a plain .sql file has no other history). */
    private static List<Migration> notAppliedByTandem(List<Migration> pending, List<ReleaseSource> applied) {
        Set<String> done = new HashSet<>();
        for (ReleaseSource s : applied) done.add(s.script() + "\u0000" + s.checksum());
        return pending.stream().filter(m -> {
            ReleaseSource s = ReleaseSource.of(m);
            return !done.contains(s.script() + "\u0000" + s.checksum());
        }).toList();
    }

    static Set<Phase> phases(PhaseChoice choice, ReleasePlan plan) {
        return switch (choice) {
            case EXPAND -> EnumSet.of(Phase.EXPAND);
            case BACKFILL -> EnumSet.of(Phase.BACKFILL);
            case CONTRACT -> EnumSet.of(Phase.CONTRACT);
            // contract waits for the deploy, unless there is nothing in it
            case ALL -> plan.steps(Phase.CONTRACT).isEmpty() ? EnumSet.allOf(Phase.class) : EnumSet.of(Phase.EXPAND, Phase.BACKFILL);
        };
    }

    /** After the step lines of {@link RunLog}: what ran, what an earlier run had done, and what comes next. */
    private static void report(PrintWriter out, ApplyResult result, ReleasePlan plan, Set<Phase> phases, PlanInput.Kind kind) {
        long before = result.count(ApplyResult.Outcome.ALREADY_DONE);
        out.println(result.count(ApplyResult.Outcome.RAN) + " step(s) run, " + result.count(ApplyResult.Outcome.SKIPPED)
                + " skipped" + (before > 0 ? ", " + before + " done by an earlier run and not repeated" : "") + ".");
        long id = result.release().id();
        String ran = phases.stream().map(Phase::id).collect(Collectors.joining(" and "));
        if (result.release().status() == ReleaseStatus.DONE) {
            out.println("Release " + id + " done: migrations " + String.join(", ", result.release().migrations()) + " applied"
                    + (kind == PlanInput.Kind.FLYWAY ? "; Flyway's history lists them." : "."));
        } else if (!phases.contains(Phase.CONTRACT) && !plan.steps(Phase.CONTRACT).isEmpty()) {
            out.println("Release " + id + ": " + ran + " done. Deploy the new application version now; once the old "
                    + "version no longer runs: migrate apply --phase contract");
        } else {
            out.println("Release " + id + ": " + ran + " done.");
        }
    }

    static final class PhaseConverter implements ITypeConverter<PhaseChoice> {
        @Override
        public PhaseChoice convert(String value) {
            try {
                return PhaseChoice.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not one of expand, backfill, contract, all");
            }
        }
    }
}
