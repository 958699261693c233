package dev.tandem.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import dev.tandem.exec.BackfillOptions;
import dev.tandem.exec.BackfillSettings;
import dev.tandem.exec.ConnectionFactory;
import dev.tandem.exec.Executor;
import dev.tandem.exec.StoredRelease;
import dev.tandem.state.BackfillControl;
import dev.tandem.state.Checkpoint;
import dev.tandem.state.ReleaseState;
import dev.tandem.state.StepKind;
import dev.tandem.state.StepRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code migrate backfill pause|resume|set|status}: an operator's hand on the running backfill,
 * from another terminal or pod. It writes one row in {@code tandem.backfill_control}, which the
 * backfill reads between batches (within a second), so it needs no way into the runner's process
 * and works from wherever psql would; it takes no lock.
 */
final class BackfillCommand implements Callable<Integer> {
    enum Action { PAUSE, RESUME, SET, STATUS }

    private final CommandSpec spec;
    private final Action action;

    private BackfillCommand(Action action) {
        this.action = action;
        spec = CommandSpec.wrapWithoutInspection(this);
        spec.name(action.name().toLowerCase(Locale.ROOT));
        spec.usageMessage().sortOptions(false).exitCodeListHeading("%nExit codes:%n").exitCodeList(exitCodes())
                .footerHeading("%nExamples:%n");
        switch (action) {
            case PAUSE -> spec.usageMessage().description("Pauses the backfill of the release under way: the running migrate "
                    + "apply finishes its current batch and runs no other (it holds no lock and no transaction while it waits) "
                    + "until migrate backfill resume. A pause set while no migrate apply runs holds for the next one.")
                    .footer("  migrate backfill pause --url postgres://app@db/shop");
            case RESUME -> spec.usageMessage().description("Lets a paused backfill go on (within a second).")
                    .footer("  migrate backfill resume --url postgres://app@db/shop");
            case SET -> {
                spec.usageMessage().description("Changes settings of the running backfill; it takes them within a second, "
                        + "and they hold for the rest of the release. A value of 'default' removes a setting. Settings: "
                        + String.join(", ", BackfillSettings.names(base())) + ".")
                        .footer("  migrate backfill set batch-size=5000", "  migrate backfill set batch-size=auto max-lag=10s",
                                "  migrate backfill set max-lag=default");
                spec.addPositional(PositionalParamSpec.builder().index("0..*").arity("1..*").paramLabel("NAME=VALUE")
                        .type(List.class).auxiliaryTypes(String.class).description("The settings to change.").build());
            }
            case STATUS -> {
                spec.usageMessage().description("Shows the backfills of the release under way (else the newest release): "
                        + "rows done, rate, ETA, current batch size, why it waits, and the operator's settings.")
                        .footer("  migrate backfill status", "  migrate backfill status --format json");
                spec.addOption(OptionSpec.builder("--format").paramLabel("FORMAT").type(String.class).defaultValue("text")
                        .description("text (default) or json.").build());
            }
        }
        RunOptions.addConnection(spec);
        spec.addOption(MigrateCommand.debugOption());
        spec.addOption(MigrateCommand.helpOption());
    }

    /** {@code migrate backfill} with its four subcommands. */
    static CommandLine commandLine() {
        CommandLine[] self = new CommandLine[1];
        CommandSpec parent = CommandSpec.wrapWithoutInspection((Callable<Integer>) () -> {
            throw new ParameterException(self[0], "a backfill command is required: pause, resume, set or status");
        });
        parent.name("backfill");
        parent.usageMessage().description("Pause, resume, tune or watch the running backfill from another terminal or pod.");
        parent.addOption(MigrateCommand.helpOption());
        CommandLine cl = new CommandLine(parent);
        self[0] = cl;
        for (Action a : Action.values()) cl.addSubcommand(a.name().toLowerCase(Locale.ROOT), new CommandLine(new BackfillCommand(a).spec));
        return cl;
    }

    private Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("0", action == Action.STATUS ? "the status was shown" : "done: the running backfill takes it within a second");
        codes.put("2", "bad input: a bad setting, no release under way, or the database cannot be reached");
        codes.put("4", "internal error: a bug in Tandem (please report it; --debug prints the stack trace)");
        return codes;
    }

    /** The options a run starts from, with the default throttle: what settings are checked against. */
    private static BackfillOptions base() {
        return BackfillOptions.DEFAULTS.withThrottle(Throttles.defaults());
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ConnectionSettings db = ConnectionSettings.resolve(RunOptions.value(spec, "--url"));
        ConnectionFactory factory = db.factory();
        Optional<StoredRelease> under = Executor.unfinished(factory);
        if (action == Action.STATUS) return status(out, factory, under, db);
        StoredRelease r = under.orElseThrow(() -> new TandemException(ErrorCode.INVALID_ARGUMENT, "no release is under way in "
                + db.display() + ": there is no backfill to " + action.name().toLowerCase(Locale.ROOT)
                + " (migrate status shows the newest release)"));
        long id = r.release().id();
        if (action != Action.RESUME && !backfillLeft(factory, id)) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT, "release " + id + " has no backfill left to run: nothing to "
                    + action.name().toLowerCase(Locale.ROOT) + " (migrate status shows where it stands)");
        }
        boolean[] wasPaused = {false};
        Map<String, String> before = new TreeMap<>();
        BackfillControl written = Executor.changeBackfill(factory, id, cur -> {
            wasPaused[0] = cur.paused();
            before.putAll(cur.settings());
            return switch (action) {
                case PAUSE -> new BackfillControl(id, true, cur.settings(), who(), null);
                case RESUME -> new BackfillControl(id, false, cur.settings(), who(), null);
                case SET -> new BackfillControl(id, cur.paused(), merged(cur.settings()), who(), null);
                case STATUS -> throw new IllegalStateException();
            };
        });
        String what = switch (action) {
            case PAUSE -> "Paused the backfill of release " + id;
            case RESUME -> wasPaused[0] ? "Resumed the backfill of release " + id : "The backfill of release " + id
                    + " was not paused";
            default -> "Settings of the backfill of release " + id + ": " + settings(written.settings());
        };
        if (!Executor.runnerActive(factory)) {
            out.println(what + ". No migrate apply runs now: the next one takes it.");
            return MigrateCommand.EXIT_OK;
        }
        Optional<BackfillControl.Ack> ack = awaitAck(factory, written.version());
        if (ack.isEmpty()) {
            out.println(what + ". The running migrate apply has not answered within " + ACK_WAIT.toSeconds() + " s (it is not"
                    + " in a backfill yet, or in a long batch); it takes it when it gets there.");
            return MigrateCommand.EXIT_OK;
        }
        if (ack.get().refused() != null) {
            // put back what the run holds to, so the row never says what is not in force
            Executor.changeBackfill(factory, id, cur -> new BackfillControl(id, cur.paused(), ack.get().applied(), who(), null));
            throw new TandemException(ErrorCode.INVALID_ARGUMENT, "the running migrate apply refused these settings: "
                    + ack.get().refused() + "; it keeps " + settings(ack.get().applied()) + " (nothing was changed)");
        }
        out.println(switch (action) {
            case PAUSE -> what + ": the running migrate apply took it; it finishes its batch and waits, holding no lock."
                    + " 'migrate backfill resume' lets it go on.";
            case RESUME -> what + (wasPaused[0] ? ": batches run again." : "; nothing changed.");
            default -> what + ": the running migrate apply took them.";
        });
        return MigrateCommand.EXIT_OK;
    }

    /** How long an operator's command waits for the running backfill's answer. */
    static final java.time.Duration ACK_WAIT = java.time.Duration.ofSeconds(15);

    private static Optional<BackfillControl.Ack> awaitAck(ConnectionFactory factory, long version) {
        long deadline = System.nanoTime() + ACK_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<BackfillControl.Ack> ack = Executor.backfillAck(factory);
            if (ack.isPresent() && ack.get().version() >= version) return ack;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Optional.empty();
    }

    /** Whether a backfill step of the release is still to run. */
    private static boolean backfillLeft(ConnectionFactory factory, long release) {
        return Executor.status(factory, release).map(st -> st.steps().stream()
                .anyMatch(s -> s.kind() == StepKind.BACKFILL && !s.status().finished())).orElse(false);
    }

    /** The stored settings with the command line's applied, validated as the backfill will apply them. */
    private Map<String, String> merged(Map<String, String> stored) {
        Map<String, String> out = new TreeMap<>(stored);
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<String> args = spec.positionalParameters().get(0).getValue();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new TandemException(ErrorCode.INVALID_ARGUMENT, "'" + arg + "' is not NAME=VALUE: write it like "
                        + "batch-size=5000 or max-lag=10s");
            }
            String name = arg.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = arg.substring(eq + 1).trim();
            if (!seen.add(name)) {
                throw new TandemException(ErrorCode.INVALID_ARGUMENT, name + " is given twice: give each setting once");
            }
            if (value.equalsIgnoreCase("default")) out.remove(name);
            else out.put(name, value);
        }
        try {
            BackfillSettings.apply(base(), out);
        } catch (IllegalArgumentException e) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT, e.getMessage() + "; nothing was changed");
        }
        return out;
    }

    private int status(PrintWriter out, ConnectionFactory factory, Optional<StoredRelease> under, ConnectionSettings db) {
        String format = RunOptions.<String>value(spec, "--format").toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT, "--format '" + format + "' is not one of text, json");
        }
        Optional<ReleaseState> state = under.isPresent() ? Executor.status(factory, under.get().release().id())
                : Executor.status(factory);
        BackfillControl control = state.map(s -> Executor.backfillControl(factory).forRelease(s.release().id()))
                .orElse(BackfillControl.NONE);
        if (format.equals("json")) {
            json(out, state, control);
            return MigrateCommand.EXIT_OK;
        }
        if (state.isEmpty()) {
            out.println("No release recorded in " + db.display() + ".");
            return MigrateCommand.EXIT_OK;
        }
        ReleaseState s = state.get();
        Map<Long, Checkpoint> cps = s.checkpoints().stream().collect(Collectors.toMap(Checkpoint::stepId, Function.identity()));
        List<StepRecord> backfills = s.steps().stream().filter(st -> st.kind() == StepKind.BACKFILL).toList();
        out.println("Release " + s.release().id() + " (" + s.release().status().id() + "), migrations "
                + String.join(", ", s.release().migrations()) + ": " + backfills.size()
                + (backfills.size() == 1 ? " backfill" : " backfills"));
        for (StepRecord st : backfills) {
            out.println("  [backfill " + (st.ordinal() + 1) + "] migration " + st.migration() + ", line " + st.line() + " ("
                    + st.status().id() + "): " + st.sql().lines().findFirst().orElse(""));
            Checkpoint cp = cps.get(st.id());
            if (cp == null) {
                out.println("    not started");
                continue;
            }
            out.println("    " + BackfillProgress.line(cp));
            if (cp.waitingFor() != null && st.status().id().equals("running")) out.println("    waiting: " + cp.waitingFor());
        }
        if (control.paused()) {
            out.println("Paused (last change by " + control.by() + " at " + control.changed() + "; migrate backfill resume)"
                    + (Executor.runnerActive(factory) ? "." : "; no migrate apply runs now."));
        } else if (!Executor.runnerActive(factory) && s.release().status().id().equals("running")) {
            out.println("No migrate apply runs now: the release was stopped or its runner killed; migrate apply continues it.");
        }
        out.println("Settings: " + settings(control.settings()) + ".");
        out.flush();
        return MigrateCommand.EXIT_OK;
    }

    private static void json(PrintWriter out, Optional<ReleaseState> state, BackfillControl control) {
        // the generator must not close the writer: the newline after the document goes there too
        try (JsonGenerator g = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).createGenerator(out)
                .useDefaultPrettyPrinter()) {
            g.writeStartObject();
            if (state.isEmpty()) {
                g.writeNullField("release");
            } else {
                ReleaseState s = state.get();
                Map<Long, Checkpoint> cps = s.checkpoints().stream()
                        .collect(Collectors.toMap(Checkpoint::stepId, Function.identity()));
                g.writeNumberField("release", s.release().id());
                g.writeStringField("status", s.release().status().id());
                g.writeBooleanField("paused", control.paused());
                g.writeStringField("changedBy", control.by());
                g.writeStringField("changedAt", control.changed() == null ? null : control.changed().toString());
                g.writeObjectFieldStart("settings");
                for (Map.Entry<String, String> e : new TreeMap<>(control.settings()).entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
                g.writeArrayFieldStart("backfills");
                for (StepRecord st : s.steps()) {
                    if (st.kind() != StepKind.BACKFILL) continue;
                    Checkpoint cp = cps.get(st.id());
                    g.writeStartObject();
                    g.writeNumberField("stepId", st.id());
                    g.writeNumberField("ordinal", st.ordinal() + 1);
                    g.writeStringField("migration", st.migration());
                    g.writeNumberField("line", st.line());
                    g.writeStringField("status", st.status().id());
                    g.writeStringField("sql", st.sql());
                    g.writeNumberField("rowsDone", cp == null ? 0 : cp.rowsDone());
                    StatusReport.nullableNumber("rowsEstimate", cp == null ? null : cp.rowsEstimate(), g);
                    g.writeNumberField("batches", cp == null ? 0 : cp.batches());
                    StatusReport.nullableNumber("batchSize", cp == null ? null : cp.batchSize(), g);
                    StatusReport.nullableNumber("rowsPerSecond",
                            cp == null || cp.rowsPerSecond() == null ? null : Math.round(cp.rowsPerSecond()), g);
                    StatusReport.nullableNumber("etaSeconds", cp == null ? null : cp.etaSeconds(), g);
                    g.writeNumberField("throttledMs", cp == null ? 0 : cp.throttledMs());
                    g.writeStringField("waitingFor", cp == null ? null : cp.waitingFor());
                    g.writeStringField("updated", cp == null || cp.updated() == null ? null : cp.updated().toString());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println();
        out.flush();
    }

    private static String settings(Map<String, String> s) {
        if (s.isEmpty()) return "the defaults (none changed)";
        return new TreeMap<>(s).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    /** Who asked: user@host of this process (in Kubernetes, the pod's name). */
    private static String who() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "unknown-host";
            }
        }
        return System.getProperty("user.name", "someone") + "@" + host;
    }
}
