package dev.tandem.plan;

import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the earlier statements of the release did, beyond what the schema model records: facts
 * recipes need and {@code TableInfo} does not carry (a table's {@code PARTITION BY} clause, the
 * CREATE INDEX statement an index came from), and which objects are new in this release.
 * Updated by the planner after each statement.
 */
final class ReleaseFacts {
    private final Map<String, String> partitionBy = new HashMap<>();
    private final Set<String> parentsWithDefault = new HashSet<>();
    private final Map<String, String> indexDefinitions = new HashMap<>();
    private final Set<String> createdTables = new HashSet<>();
    private final Set<String> addedColumns = new HashSet<>();

    /** The {@code PARTITION BY} clause of a table created in this release. */
    Optional<String> partitionBy(QualifiedName table) {
        return Optional.ofNullable(partitionBy.get(table.display()));
    }

    /** Whether a DEFAULT partition of {@code parent} was created or attached in this release. */
    boolean hasDefaultPartition(QualifiedName parent) {
        return parentsWithDefault.contains(parent.display());
    }

    /** The CREATE INDEX statement, as written, that made {@code index} in this release. */
    Optional<String> indexDefinition(QualifiedName index) {
        return Optional.ofNullable(indexDefinitions.get(index.display()));
    }

    boolean createdInRelease(QualifiedName table) {
        return createdTables.contains(table.display());
    }

    boolean columnAddedInRelease(QualifiedName table, String column) {
        return addedColumns.contains(table.display() + "|" + column);
    }

    /** Records what the statement of {@code ctx} did; {@code indexName} is the name a CREATE INDEX gets. */
    void after(PlanContext ctx, String indexName) {
        switch (ctx.change()) {
            case Change.CreateTable ct -> {
                createdTables.add(ct.name().display());
                if (ct.partitionBy() != null) partitionBy.put(ct.name().display(), ct.partitionBy());
                if (ct.partitionOf() != null && isDefault(ct.partitionBound())) parentsWithDefault.add(ct.partitionOf().display());
            }
            case Change.CreateIndex ci when indexName != null ->
                    indexDefinitions.put(QualifiedName.of(ci.table().resolved().schema(), indexName).display(), ctx.sql());
            case Change.AlterTable at -> {
                for (AlterAction a : at.actions()) {
                    switch (a) {
                        case AlterAction.AddColumn ac -> addedColumns.add(at.table().display() + "|" + ac.column().name());
                        case AlterAction.AttachPartition ap when isDefault(ap.bound()) -> parentsWithDefault.add(at.table().display());
                        default -> { }
                    }
                }
            }
            default -> { }
        }
    }

    private static boolean isDefault(String bound) {
        return bound != null && bound.strip().equalsIgnoreCase("default");
    }
}
