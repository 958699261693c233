package dev.tandem.report;

import dev.tandem.classify.ClassifiedSet;
import dev.tandem.classify.MigrationResult;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where a step or an unplanned statement comes from, as {@code path:line}: the plan names a
 * migration by its label (version, or script of a repeatable migration), the reports by the
 * script's path, which a terminal or an editor can open. A label that two migrations share (two
 * Liquibase changeSets with the same id in different files) cannot be resolved and is shown as
 * the plan names it.
 */
final class StepLocator {
    private final Map<String, String> paths = new HashMap<>();

    StepLocator(ClassifiedSet set, ScriptLocator locator) {
        Set<String> ambiguous = new HashSet<>();
        for (MigrationResult m : set.migrations()) {
            String label = m.migration().label();
            if (paths.putIfAbsent(label, locator.locate(m.migration())) != null) ambiguous.add(label);
        }
        ambiguous.forEach(paths::remove);
    }

    /** {@code path:line}, or {@code migration:line} when the migration's script is not known. */
    String locate(String migration, int line) {
        return paths.getOrDefault(migration, migration) + ":" + line;
    }
}
