package dev.tandem.cli;

import dev.tandem.exec.Executor;
import dev.tandem.exec.RollbackResult;
import dev.tandem.plan.Phase;
import dev.tandem.state.ReleaseStatus;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code migrate rollback}: undoes what the release under way has applied, last step first, each
 * by its rollback SQL under the same lock_timeout and retries as {@code apply}. It needs no
 * migration files: the rollback SQL was recorded with the release.
 */
final class RollbackCommand implements Callable<Integer> {
    private final CommandSpec spec;

    private RollbackCommand() {
        spec = CommandSpec.wrapWithoutInspection(this);
        spec.name("rollback");
        spec.usageMessage()
                .sortOptions(false)
                .description("Undoes the applied steps of the release under way, last first, with the rollback SQL "
                        + "recorded for each: before contract, the schema is as it was before the release and no row "
                        + "written by either application version is lost. Stops at a step that cannot be undone "
                        + "(most contract steps drop something), naming it and why.")
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(exitCodes())
                .footerHeading("%nExamples:%n")
                .footer("  migrate rollback --url postgres://app@db/shop",
                        "  migrate rollback --phase backfill");
        RunOptions.addConnection(spec);
        spec.addOption(OptionSpec.builder("--phase").paramLabel("PHASE").type(ApplyCommand.PhaseChoice.class)
                .converters(new ApplyCommand.PhaseConverter()).defaultValue("all")
                .description("What to undo: expand, backfill, contract, or all (default). A phase is undone only "
                        + "when no later phase has steps applied.").build());
        RunOptions.addExecution(spec);
        spec.addOption(MigrateCommand.debugOption());
        spec.addOption(MigrateCommand.helpOption());
    }

    static CommandSpec spec() {
        return new RollbackCommand().spec;
    }

    private static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("0", "rolled back: the phases asked for are undone");
        codes.put("1", "a rollback step failed, or the rollback stopped at a step that cannot be undone, or there is no "
                + "release under way, or a later phase is still applied");
        codes.put("2", "bad input: a bad option, or the database cannot be reached");
        return RunOptions.lockedAndInternal(codes);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        var options = RunOptions.execOptions(spec).withListener(new RunLog(out, false, java.time.Clock.systemUTC()));
        ApplyCommand.PhaseChoice choice = RunOptions.value(spec, "--phase");
        Set<Phase> phases = switch (choice) {
            case EXPAND -> EnumSet.of(Phase.EXPAND);
            case BACKFILL -> EnumSet.of(Phase.BACKFILL);
            case CONTRACT -> EnumSet.of(Phase.CONTRACT);
            case ALL -> EnumSet.allOf(Phase.class);
        };
        ConnectionSettings db = ConnectionSettings.resolve(RunOptions.value(spec, "--url"));
        RollbackResult result = Executor.rollback(db.factory(), phases, options);
        long id = result.release().id();
        out.println(result.release().status() == ReleaseStatus.ROLLED_BACK
                ? "Release " + id + " rolled back: the schema is as it was before it."
                : "Release " + id + ": " + result.rolledBack().size() + " step(s) rolled back; the release stays under way ("
                        + result.release().status().id() + ").");
        return MigrateCommand.EXIT_OK;
    }
}
