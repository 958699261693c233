package dev.tandem.cli;

import dev.tandem.error.TandemException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line (or a short list) on stderr and an exit code; stack traces
 * only with {@code --debug}.
 *
 * <ul>
 *   <li>{@link TandemException}: {@code migrate: <message>}, exit code from its {@code ErrorCode} (2)</li>
 *   <li>usage error (unknown option, bad value): the message and a hint, exit 2</li>
 *   <li>an I/O error that escaped a source: the message, exit 2</li>
 *   <li>anything else is a bug: a one-line message asking for a report, exit 4</li>
 * </ul>
 */
final class FailureHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("migrate: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        return MigrateCommand.EXIT_BAD_INPUT;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        cmd.getOut().flush();
        boolean debug = debug(parsed);
        int code;
        if (ex instanceof TandemException te) {
            err.println("migrate: " + te.getMessage());
            code = te.code().exitCode();
        } else if (ex instanceof UncheckedIOException || ex instanceof IOException) {
            Throwable io = ex instanceof UncheckedIOException u ? u.getCause() : ex;
            err.println("migrate: cannot read input: " + describe(io)
                    + " — check that the path exists and is readable by this user");
            code = MigrateCommand.EXIT_BAD_INPUT;
        } else {
            err.println("migrate: internal error: " + ex);
            err.println("This is a bug in Tandem: please report it with the command line"
                    + (debug ? " and the stack trace below." : " (run again with --debug for the stack trace)."));
            code = MigrateCommand.EXIT_INTERNAL;
        }
        if (debug) ex.printStackTrace(err);
        err.flush();
        return code;
    }

    /** An I/O failure in the user's terms, without Java class names. */
    private static String describe(Throwable io) {
        return switch (io) {
            case java.nio.file.NoSuchFileException e -> "no such file or directory: " + e.getFile();
            case java.nio.file.AccessDeniedException e -> "permission denied: " + e.getFile();
            case java.nio.file.NotDirectoryException e -> "not a directory: " + e.getFile();
            case java.nio.file.FileSystemException e -> e.getFile() + ": " + e.getReason();
            default -> io.getMessage() != null ? io.getMessage() : io.getClass().getSimpleName();
        };
    }

    /** Whether {@code --debug} was given to the command or any subcommand. */
    private static boolean debug(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) return true;
        }
        return false;
    }
}
