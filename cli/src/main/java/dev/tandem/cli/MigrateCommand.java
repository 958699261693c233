package dev.tandem.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code migrate}: the top-level command; its subcommands do the work.
 *
 * <p>The commands are described with picocli's programmatic API rather than annotations: reading
 * annotations makes the JVM generate a proxy class per annotation type and reflect over every
 * field, which cost about 0.2 s of a start-up that the plan benchmark counts.
 */
final class MigrateCommand implements Runnable {
    /** Every statement compatible, or carried out by Tandem (online-rewrite, expand-contract). */
    static final int EXIT_OK = 0;
    /** Something needs review or is blocking, or is at or above {@code --fail-on}. */
    static final int EXIT_FINDINGS = 1;
    /** Bad input: unreadable file, SQL that does not parse, bad option (also {@code ErrorCode}s). */
    static final int EXIT_BAD_INPUT = 2;
    /** A bug in Tandem. */
    static final int EXIT_INTERNAL = 4;

    private final CommandSpec spec;

    private MigrateCommand() {
        spec = CommandSpec.wrapWithoutInspection(this);
        spec.name("migrate");
        spec.versionProvider(new Version());
        spec.addOption(helpOption());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).type(boolean.class)
                .description("Print the version and exit.").build());
        spec.usageMessage()
                .description("Zero-downtime schema migrations for PostgreSQL: classifies what every statement of a "
                        + "Flyway or Liquibase history does to a live database and how to run it without blocking "
                        + "traffic.")
                .synopsisSubcommandLabel("COMMAND")
                .commandListHeading("%nCommands:%n")
                .footerHeading("%n")
                .footer("Run 'migrate COMMAND --help' for a command's options and exit codes.");
    }

    static CommandSpec spec() {
        return new MigrateCommand().spec;
    }

    /** {@code -h, --help}, for every command. */
    static OptionSpec helpOption() {
        return OptionSpec.builder("-h", "--help").usageHelp(true).type(boolean.class)
                .description("Show this help and exit.").build();
    }

    /** {@code --debug}, for every command: stack traces of errors. */
    static OptionSpec debugOption() {
        return OptionSpec.builder("--debug").type(boolean.class).description("Print stack traces of errors.").build();
    }

    @Override
    public void run() {
        // "migrate" alone: say what to type rather than doing nothing.
        throw new ParameterException(spec.commandLine(), "a command is required (plan, apply, status, rollback, backfill, rules, help)");
    }
}
