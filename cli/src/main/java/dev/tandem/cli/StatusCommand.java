package dev.tandem.cli;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import dev.tandem.exec.Executor;
import dev.tandem.state.EventRecord;
import dev.tandem.state.ReleaseState;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code migrate status}: the newest release (or one by id) as recorded in the database. Takes no lock. */
final class StatusCommand implements Callable<Integer> {
    private final CommandSpec spec;

    private StatusCommand() {
        spec = CommandSpec.wrapWithoutInspection(this);
        spec.name("status");
        spec.usageMessage()
                .sortOptions(false)
                .description("Shows the newest release recorded in the database: its status, each step's state, attempts, "
                        + "timings, backfill progress and last error, and what to do next. Reads only; takes no lock, so it "
                        + "can run beside migrate apply.")
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(exitCodes())
                .footerHeading("%nExamples:%n")
                .footer("  migrate status --url postgres://app@db/shop", "  migrate status --format json");
        RunOptions.addConnection(spec);
        spec.addOption(OptionSpec.builder("--release").paramLabel("ID").type(Long.class)
                .description("Show this release instead of the newest.").build());
        spec.addOption(OptionSpec.builder("--format").paramLabel("FORMAT").type(String.class).defaultValue("text")
                .description("text (default) or json (with the release's event log).").build());
        spec.addOption(MigrateCommand.debugOption());
        spec.addOption(MigrateCommand.helpOption());
    }

    static CommandSpec spec() {
        return new StatusCommand().spec;
    }

    private static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("0", "the status was shown (whatever the release's state)");
        codes.put("2", "bad input: a bad option, an unknown release, or the database cannot be reached");
        codes.put("4", "internal error: a bug in Tandem (please report it; --debug prints the stack trace)");
        return codes;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String format = RunOptions.<String>value(spec, "--format").toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT, "--format '" + format + "' is not one of text, json");
        }
        Long id = RunOptions.value(spec, "--release");
        ConnectionSettings db = ConnectionSettings.resolve(RunOptions.value(spec, "--url"));
        Optional<ReleaseState> state = id == null ? Executor.status(db.factory()) : Executor.status(db.factory(), id);
        if (id != null && state.isEmpty()) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT, "no release " + id + " in " + db.display()
                    + ": migrate status without --release shows the newest");
        }
        if (format.equals("json")) {
            List<EventRecord> events = state.isEmpty() ? List.of() : Executor.events(db.factory(), state.get().release().id());
            StatusReport.json(state, events, out);
        } else {
            StatusReport.text(state, out);
        }
        return MigrateCommand.EXIT_OK;
    }
}
