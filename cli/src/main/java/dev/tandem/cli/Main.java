package dev.tandem.cli;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * Entry point of the {@code migrate} command. Keeps start-up lean: the command tree is built with
 * picocli's programmatic API (no annotation reflection), and nothing from Liquibase, JDBC or Jdbi
 * is loaded unless the command line asks for it.
 */
public final class Main {
    /**
     * Flyway logs through java.util.logging here, at INFO, a dozen lines per history sync that
     * drown the run's own log; its warnings still show. A static reference: JUL holds loggers weakly,
     * and a collected logger would forget its level.
     */
    private static final java.util.logging.Logger FLYWAY_LOG = java.util.logging.Logger.getLogger("org.flywaydb");

    private Main() {}

    public static void main(String[] args) {
        FLYWAY_LOG.setLevel(java.util.logging.Level.WARNING);
        // The JDBC stack (--url) logs through SLF4J, and with no binding SLF4J prints a three-line
        // warning on stderr; name its no-op provider instead, and keep its own notes quiet.
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        // Buffered UTF-8 writers straight on the file descriptors: a plan of 10,000 statements is
        // a few MB of JSON, and System.out's per-line flushing would make that measurable. UTF-8
        // regardless of the locale, because JSON, SARIF and Markdown must be UTF-8.
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), 1 << 16), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        int code;
        try {
            code = run(args, out, err, Terminal.detect());
        } catch (Throwable t) {
            // An Error (OutOfMemoryError, StackOverflowError) that got past picocli's handlers.
            out.flush();
            err.println("migrate: internal error: " + t);
            err.println("This is a bug in Tandem: please report it with the command line"
                    + " (run again with --debug for the stack trace).");
            if (args != null && Arrays.asList(args).contains("--debug")) t.printStackTrace(err);
            code = MigrateCommand.EXIT_INTERNAL;
        }
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the command line with the given streams and returns the exit code; never exits. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Terminal terminal) {
        CommandLine cmd = commandLine(out, err, terminal);
        int code = cmd.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The {@code migrate} command tree writing to {@code out} and {@code err}. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, Terminal terminal) {
        CommandLine cmd = new CommandLine(MigrateCommand.spec());
        cmd.addSubcommand("plan", new CommandLine(PlanCommand.spec(terminal)));
        cmd.addSubcommand("apply", new CommandLine(ApplyCommand.spec(terminal)));
        cmd.addSubcommand("status", new CommandLine(StatusCommand.spec()));
        cmd.addSubcommand("rollback", new CommandLine(RollbackCommand.spec()));
        cmd.addSubcommand("backfill", BackfillCommand.commandLine());
        cmd.addSubcommand("rules", new CommandLine(RulesCommand.spec()));
        cmd.addSubcommand("help", new CommandLine(HelpCommand.spec()));
        FailureHandler failures = new FailureHandler();
        cmd.setExecutionExceptionHandler(failures);
        cmd.setParameterExceptionHandler(failures);
        cmd.setOut(out);
        cmd.setErr(err);
        return cmd;
    }
}
