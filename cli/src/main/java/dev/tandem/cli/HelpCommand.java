package dev.tandem.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/** {@code migrate help [COMMAND]}: picocli's HelpCommand without its annotations (start-up time). */
final class HelpCommand implements Runnable {
    private final CommandSpec spec;

    private HelpCommand() {
        spec = CommandSpec.wrapWithoutInspection(this);
        spec.name("help");
        spec.helpCommand(true);
        spec.addPositional(PositionalParamSpec.builder().index("0").arity("0..1").paramLabel("COMMAND")
                .type(String.class).description("The command to show the help of.").build());
        spec.usageMessage().description("Shows the help of migrate or of one of its commands.");
    }

    static CommandSpec spec() {
        return new HelpCommand().spec;
    }

    @Override
    public void run() {
        CommandLine parent = spec.commandLine().getParent();
        PrintWriter out = spec.commandLine().getOut();
        String name = spec.positionalParameters().get(0).getValue();
        if (name == null) {
            parent.usage(out);
        } else {
            CommandLine sub = parent.getSubcommands().get(name);
            if (sub == null) throw new ParameterException(spec.commandLine(), "unknown command '" + name + "'");
            sub.usage(out);
        }
        out.flush();
    }
}
