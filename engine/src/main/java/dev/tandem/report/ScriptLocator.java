package dev.tandem.report;

import dev.tandem.source.Migration;
import java.io.File;
import java.nio.file.Path;

/**
 * Where a migration's script is, as a path to show the user or to put in a SARIF location.
 * {@link Migration#script()} is relative to the migration location (Flyway directory, changelog
 * directory); prefixing the location as the user typed it gives a path relative to the working
 * directory, which is what terminals, editors and code-scanning uploads resolve.
 */
@FunctionalInterface
public interface ScriptLocator {

    String locate(Migration migration);

    /** The script exactly as the source named it. */
    static ScriptLocator asGiven() {
        return Migration::script;
    }

    /** The script under {@code root} (a path as the user gave it), normalised, with forward slashes. */
    static ScriptLocator under(Path root) {
        return m -> {
            Path p = root.resolve(m.script()).normalize();
            String s = p.toString();
            if (s.isEmpty()) s = m.script();
            return File.separatorChar == '/' ? s : s.replace(File.separatorChar, '/');
        };
    }
}
