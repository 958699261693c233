package dev.tandem.cli;

import dev.tandem.catalog.SchemaModel;
import dev.tandem.classify.ClassifiedSet;
import dev.tandem.classify.Classifier;
import dev.tandem.classify.PgVersion;
import dev.tandem.classify.StatementClass;
import dev.tandem.classify.rules.RuleRegistry;
import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import dev.tandem.plan.Planner;
import dev.tandem.plan.ReleasePlan;
import dev.tandem.report.JsonRenderer;
import dev.tandem.report.MarkdownRenderer;
import dev.tandem.report.ReportFormat;
import dev.tandem.report.ReportRenderer;
import dev.tandem.report.SarifRenderer;
import dev.tandem.report.TextRenderer;
import dev.tandem.source.Migration;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code migrate plan}: reads a migration history, classifies every statement, plans the release
 * (expand, backfill, deploy, contract) and renders both. Offline by default (the schema is what the migrations themselves create); with
 * {@code --url} the database's catalog and migration history decide what exists and what is
 * still to run.
 */
final class PlanCommand implements Callable<Integer> {
    private final CommandSpec spec;
    private final Terminal terminal;

    private PlanCommand(Terminal terminal) {
        this.terminal = terminal;
        spec = CommandSpec.wrapWithoutInspection(this);
        spec.name("plan");
        spec.usageMessage()
                .sortOptions(false)
                .description(
                        "Classifies every statement of a migration history: compatible, online-rewrite, "
                                + "expand-contract, review or blocking, with the locks it takes, the tables it rewrites "
                                + "or scans, and how to run it without blocking traffic. Then plans the release: "
                                + "the steps of the expand, backfill and contract phases, the point where the new "
                                + "application version must be deployed, and the statements it will not run, with why.",
                        "",
                        "Input: a Flyway migrations directory (V__/U__/R__ files), a single .sql file, or a "
                                + "Liquibase changelog (--changelog, or a .xml/.yaml/.yml/.json file as INPUT).")
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(exitCodes())
                .footerHeading("%nExamples:%n")
                .footer("  migrate plan db/migration",
                        "  migrate plan db/migration --format markdown --output plan.md",
                        "  migrate plan --changelog db/changelog.xml --contexts prod --pg-version 15",
                        "  migrate plan db/migration --url postgres://db/shop --fail-on expand-contract");
        PlanInput.addInput(spec);
        spec.addOption(OptionSpec.builder("--format").paramLabel("FORMAT").type(ReportFormat.class)
                .converters(new FormatConverter()).defaultValue("text")
                .description("text (default), json, markdown or sarif.").build());
        spec.addOption(OptionSpec.builder("--pg-version").paramLabel("VERSION").type(PgVersion.class)
                .converters(new PgVersionConverter())
                .description("PostgreSQL major version the migrations will run on, 12 to 18. "
                        + "Default: the server's with --url, else 16.").build());
        spec.addOption(OptionSpec.builder("--fail-on").paramLabel("CLASS").type(StatementClass.class)
                .converters(new ClassConverter())
                .description("Also exit 1 when a statement is of this class or worse: online-rewrite or "
                        + "expand-contract (review and blocking always fail).").build());
        PlanInput.addSourceOptions(spec);
        spec.addOption(OptionSpec.builder("--url").paramLabel("JDBC_URL").type(String.class)
                .description("Read the schema, table sizes and applied migrations from this database "
                        + "(jdbc:postgresql://host:port/db or postgres://user:password@host/db); only pending "
                        + "migrations are planned.").build());
        spec.addOption(OptionSpec.builder("--trace-url").paramLabel("URL").type(String.class)
                .description("Trace the release on this server: a scratch database is created there (never the one in "
                        + "the URL), the earlier migrations' schema replayed with sample rows, every pending statement run "
                        + "in a rolled-back transaction and what PostgreSQL did (locks, rewrites, full reads, DDL) set "
                        + "beside the rules' verdict; the scratch database is dropped afterwards. Needs CREATEDB; a "
                        + "superuser also records the DDL commands.").build());
        spec.addOption(OptionSpec.builder("--trace").arity("0")
                .description("Trace the release as --trace-url does, on an embedded PostgreSQL of the target version "
                        + "(--pg-version; 13 to 18, linux-amd64), fetched from Maven Central on first use and kept in "
                        + "~/.cache/tandem.").build());
        spec.addOption(OptionSpec.builder("--trace-rows").paramLabel("N").type(int.class).defaultValue("200")
                .description("Sample rows generated per table for the trace (default: ${DEFAULT-VALUE}).").build());
        spec.addOption(OptionSpec.builder("--output").paramLabel("FILE").type(Path.class)
                .description("Write the report to FILE instead of standard output.").build());
        spec.addOption(OptionSpec.builder("--color").paramLabel("WHEN").type(Terminal.ColorMode.class)
                .converters(new ColorConverter()).defaultValue("auto")
                .description("Colour the text report: auto (default: when standard output is a terminal and "
                        + "NO_COLOR is not set), always or never.").build());
        spec.addOption(MigrateCommand.debugOption());
        spec.addOption(MigrateCommand.helpOption());
    }

    static CommandSpec spec(Terminal terminal) {
        return new PlanCommand(terminal).spec;
    }

    private static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("0", "every statement is compatible, or Tandem carries it out automatically (online-rewrite, "
                + "expand-contract): the release plan is complete");
        codes.put("1", "a statement needs review or is blocking, has no recipe in the release plan (not planned), or its "
                + "class is at or above --fail-on");
        codes.put("2", "bad input: a file or directory that cannot be read, SQL that does not parse, a history "
                + "Flyway or Liquibase rejects, an unsupported PostgreSQL version or another bad option");
        codes.put("4", "internal error: a bug in Tandem (please report it; --debug prints the stack trace)");
        return codes;
    }

    private <T> T option(String name) {
        return spec.findOption(name).getValue();
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Path output = option("--output");
        // Fail fast: finding out after the whole history is planned that the report has nowhere to go.
        if (output != null) checkWritable(output);
        PgVersion pgVersion = option("--pg-version");
        String url = option("--url");

        // With --url the database comes first: its version is the default target, and Liquibase
        // generates SQL for that version.
        LivePlanInput live = url != null ? LivePlanInput.read(url) : null;
        PgVersion version = pgVersion != null ? pgVersion : live != null ? live.version() : PgVersion.DEFAULT;

        PlanInput in = PlanInput.resolve(spec, version, err);
        List<Migration> migrations = in.load(err);
        List<Migration> all = migrations;
        SchemaModel schema = SchemaModel.offline();
        if (live != null) {
            migrations = live.pending(migrations, in.kind(), err);
            schema = live.schema();
        }

        // The classifier and the planner each replay the release into the model they are given,
        // so each gets its own copy of the schema before the release. A plain plan does not know
        // the session the migrations will run in (its TimeZone); a traced one is classified again
        // for the trace session's.
        List<Migration> release = migrations;
        SchemaModel before = schema;
        Function<Map<String, String>, ClassifiedSet> classify = session ->
                new Classifier(RuleRegistry.all(), version, session).classify(release, before.copy());
        // classified once up front: a syntax error is reported before a trace server starts; the
        // tables the model knows after it are the ones whose traced facts the rules could have named
        SchemaModel known = before.copy();
        ClassifiedSet classified = new Classifier(RuleRegistry.all(), version).classify(release, known);
        // (and the ones before the release, which a release that drops them no longer has)
        Set<String> modelled = java.util.stream.Stream.concat(before.tables().stream(), known.tables().stream())
                .map(t -> t.name().display()).collect(Collectors.toSet());
        String traceUrl = option("--trace-url");
        boolean embedded = Boolean.TRUE.equals(option("--trace"));
        if (embedded && traceUrl != null) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT, "--trace and --trace-url contradict each other: give one");
        }
        PlanTrace.Traced traced = null;
        if (traceUrl != null || embedded) {
            Set<String> pending = migrations.stream().map(Migration::label).collect(Collectors.toSet());
            List<Migration> earlier = all.stream().filter(m -> !pending.contains(m.label())).toList();
            if (embedded) {
                long started = System.nanoTime();
                try (EmbeddedTraceServer server = EmbeddedTraceServer.start(version.major(), err)) {
                    err.printf(java.util.Locale.ROOT, "migrate: embedded PostgreSQL %s started in %.1f s%n", server.version(),
                            (System.nanoTime() - started) / 1e9);
                    traced = PlanTrace.run(server.jdbcUrl(), option("--trace-rows"), earlier, classify, modelled, version, err);
                }
            } else {
                traced = PlanTrace.run(traceUrl, option("--trace-rows"), earlier, classify, modelled, version, err);
            }
        }
        ReleasePlan plan = new Planner().plan(traced != null ? traced.classified() : classified, schema.copy());
        ClassifiedSet set = traced != null ? traced.traced() : classified;

        ReportFormat format = option("--format");
        boolean colour = output == null && terminal.colour(option("--color"));
        ReportRenderer renderer = switch (format) {
            case TEXT -> new TextRenderer(colour, in.locator());
            case JSON -> new JsonRenderer();
            case MARKDOWN -> new MarkdownRenderer(in.locator());
            case SARIF -> new SarifRenderer(Version.tandem(), RuleRegistry.all(), in.locator());
        };
        if (output == null) {
            PrintWriter out = spec.commandLine().getOut();
            renderer.render(set, plan, out);
            out.flush();
        } else {
            try (Writer w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                renderer.render(set, plan, w);
            } catch (IOException e) {
                throw new TandemException(ErrorCode.INVALID_ARGUMENT, "cannot write --output " + output + ": "
                        + ioReason(e) + " — choose a file in a directory that exists and that this user may write", e);
            }
        }
        return exitCode(set.worst(), option("--fail-on"), plan.executable());
    }

    /** The report file must be creatable: its directory exists, and it is not itself a directory. */
    private static void checkWritable(Path output) {
        String todo = " — choose a file in a directory that exists and that this user may write";
        if (Files.isDirectory(output)) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT,
                    "--output " + output + " is a directory; give the name of the report file" + todo);
        }
        Path dir = output.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT, "cannot write --output " + output + ": "
                    + (Files.exists(dir) ? dir + " is not a directory" : "the directory " + dir + " does not exist") + todo);
        }
        boolean writable = Files.exists(output) ? Files.isWritable(output) : dir == null || Files.isWritable(dir);
        if (!writable) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT,
                    "cannot write --output " + output + ": permission denied" + todo);
        }
    }

    /** An I/O failure in the user's terms: the NIO exceptions' messages are often just the path. */
    private static String ioReason(IOException e) {
        return switch (e) {
            case java.nio.file.NoSuchFileException x -> "no such file or directory";
            case java.nio.file.AccessDeniedException x -> "permission denied";
            case java.nio.file.FileSystemException x when x.getReason() != null -> x.getReason();
            default -> e.getMessage() != null ? e.getMessage() : "input/output error";
        };
    }

    /**
     * 1 when anything needs review or is blocking, is at or above {@code failOn}, or has no steps in
     * the release plan (Tandem would not carry it out: the release cannot run as planned); else 0.
     */
    static int exitCode(StatementClass worst, StatementClass failOn, boolean executable) {
        boolean fail = !executable || !worst.automatic() || (failOn != null && worst.atLeast(failOn));
        return fail ? MigrateCommand.EXIT_FINDINGS : MigrateCommand.EXIT_OK;
    }

    static final class FormatConverter implements ITypeConverter<ReportFormat> {
        @Override
        public ReportFormat convert(String value) {
            try {
                return ReportFormat.fromId(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class PgVersionConverter implements ITypeConverter<PgVersion> {
        @Override
        public PgVersion convert(String value) {
            try {
                return PgVersion.parse(value);
            } catch (TandemException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class ClassConverter implements ITypeConverter<StatementClass> {
        @Override
        public StatementClass convert(String value) {
            try {
                return StatementClass.fromId(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class ColorConverter implements ITypeConverter<Terminal.ColorMode> {
        @Override
        public Terminal.ColorMode convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "auto" -> Terminal.ColorMode.AUTO;
                case "always" -> Terminal.ColorMode.ALWAYS;
                case "never" -> Terminal.ColorMode.NEVER;
                default -> throw new TypeConversionException("'" + value + "' is not one of auto, always, never");
            };
        }
    }
}
