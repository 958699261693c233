package dev.tandem.cli;

import java.io.Console;
import java.lang.reflect.Method;

/**
 * What the CLI knows about where its standard output goes, to decide on ANSI colour.
 *
 * @param stdoutIsTerminal standard output is an interactive terminal
 * @param noColor          the {@code NO_COLOR} environment variable is set and not empty
 *                         (no-color.org)
 */
public record Terminal(boolean stdoutIsTerminal, boolean noColor) {

    /** Neither a terminal nor colour: for tests and pipes. */
    public static final Terminal NONE = new Terminal(false, true);

    /**
     * The process's own terminal. The {@code migrate} launcher already knows ({@code [ -t 1 ]}) and
     * passes {@code -Dtandem.stdout.tty=true|false}, which costs nothing; without it, fall back
     * to {@link System#console()}: non-null means a terminal up to JDK 21, while from JDK 22 on a
     * console exists even when redirected and {@code Console.isTerminal()} decides (called
     * reflectively because the code targets release 21).
     */
    public static Terminal detect() {
        String v = System.getenv("NO_COLOR");
        boolean noColor = v != null && !v.isEmpty();
        String tty = System.getProperty("tandem.stdout.tty");
        if (tty != null) return new Terminal(Boolean.parseBoolean(tty), noColor);
        return new Terminal(consoleIsTerminal(), noColor);
    }

    private static boolean consoleIsTerminal() {
        Console console = System.console();
        if (console == null) return false;
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // JDK 21: a console exists only for a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** Whether to colour output for {@code --color=WHEN}. */
    public boolean colour(ColorMode mode) {
        return switch (mode) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> stdoutIsTerminal && !noColor;
        };
    }

    /** {@code --color=auto|always|never}. */
    public enum ColorMode { AUTO, ALWAYS, NEVER }
}
