package dev.tandem.plan;

import dev.tandem.catalog.ConstraintInfo;
import dev.tandem.catalog.IndexInfo;
import dev.tandem.catalog.RelationKind;
import dev.tandem.catalog.SchemaModel;
import dev.tandem.catalog.SchemaReplayer;
import dev.tandem.catalog.TableInfo;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Names of the objects a plan creates: the name PostgreSQL would generate for an unnamed
 * constraint or index (a recipe must name it, to validate it later or to build it with
 * {@code IF NOT EXISTS}), and the names of Tandem's helper constraints.
 *
 * <p>Generated names come from the {@link SchemaReplayer}, which reproduces PostgreSQL's choice
 * ({@code <table>_<col>_check}, {@code <table>_<cols>_fkey}, {@code <table>_pkey}, a number
 * appended when taken): the statement is replayed into a scratch copy of the schema and the new
 * name read back, so the planner's own model is left alone.
 */
final class ObjectNames {
    private ObjectNames() {}

    /**
     * PostgreSQL's {@code makeObjectName(name1, name2, label)}: the parts joined with underscores,
     * the longer of name1/name2 shortened until the whole fits in 63 bytes.
     */
    static String of(String name1, String name2, String label) {
        return SchemaReplayer.objectName(name1, name2, label);
    }

    /**
     * The helper {@code CHECK (col IS NOT NULL)} that proves a column NOT NULL before SET NOT NULL.
     * Not {@code <table>_<col>_not_null}: PostgreSQL 18 gives that name to the NOT NULL constraint
     * itself, and the user may have a constraint of that name already.
     */
    static String notNullCheck(String table, String column) {
        return of(table, column, "not_null_tandem");
    }

    /** The helper CHECK that proves a partition's bound before ATTACH PARTITION. */
    static String partitionBoundCheck(String partition) {
        return of(partition, null, "bound_tandem");
    }

    /** The name of the constraint {@code at} (a single ADD CONSTRAINT) adds, named or generated. */
    static Optional<String> addedConstraint(SchemaModel schema, Change.AlterTable at) {
        if (at.actions().size() == 1 && at.actions().get(0) instanceof dev.tandem.sql.AlterAction.AddConstraint ac
                && ac.constraint().name() != null) {
            return Optional.of(ac.constraint().name());
        }
        QualifiedName table = at.table().resolved();
        // only a constraint with an index (UNIQUE, PRIMARY KEY, EXCLUDE) takes a relation name
        boolean indexed = at.actions().stream().anyMatch(a -> a instanceof dev.tandem.sql.AlterAction.AddConstraint ac
                && (ac.constraint() instanceof dev.tandem.sql.Constraint.Unique
                || ac.constraint() instanceof dev.tandem.sql.Constraint.PrimaryKey
                || ac.constraint() instanceof dev.tandem.sql.Constraint.Exclusion));
        SchemaModel scratch = scratch(schema, table, indexed);
        Set<String> before = constraintNames(scratch, table);
        new SchemaReplayer().apply(at, scratch);
        Set<String> after = constraintNames(scratch, table);
        after.removeAll(before);
        return after.size() == 1 ? Optional.of(after.iterator().next()) : Optional.empty();
    }

    /** The name of the index {@code ci} creates, named or generated. */
    static Optional<String> createdIndex(SchemaModel schema, Change.CreateIndex ci) {
        if (ci.name() != null) return Optional.of(ci.name().name());
        QualifiedName table = ci.table().resolved();
        SchemaModel scratch = scratch(schema, table, true);
        Set<String> before = indexNames(scratch, table);
        new SchemaReplayer().apply(ci, scratch);
        Set<String> after = indexNames(scratch, table);
        after.removeAll(before);
        return after.size() == 1 ? Optional.of(after.iterator().next()) : Optional.empty();
    }

    /**
     * A copy of what name generation looks at: every relation name (for index names, unique per
     * schema) and the target table's columns and constraints (constraint names are unique per
     * table; a CHECK's name depends on which of its identifiers are columns). A target the model
     * does not know gets an empty table, as the offline model's unknown tables are treated.
     * Without {@code relations} only the target is copied: what a name without an index needs
     * (copying every relation for each statement made a 10,000-statement plan quadratic).
     */
    private static SchemaModel scratch(SchemaModel schema, QualifiedName target, boolean relations) {
        SchemaModel s = SchemaModel.offline();
        for (TableInfo t : relations ? schema.tables() : schema.table(target).stream().toList()) {
            TableInfo copy = new TableInfo(t.name(), t.kind());
            if (t.name().equals(target)) {
                t.columns().forEach(copy::putColumn);
                t.constraints().forEach(copy::addConstraint);
            }
            copy.setPartitionOf(t.partitionOf());
            s.putTable(copy);
            schema.indexesOn(t.name()).forEach(s::putIndex);
        }
        if (s.table(target).isEmpty()) s.putTable(new TableInfo(target, RelationKind.TABLE));
        return s;
    }

    private static Set<String> constraintNames(SchemaModel s, QualifiedName table) {
        Set<String> names = new HashSet<>();
        s.table(table).ifPresent(t -> t.constraints().stream().map(ConstraintInfo::name).forEach(names::add));
        return names;
    }

    private static Set<String> indexNames(SchemaModel s, QualifiedName table) {
        Set<String> names = new HashSet<>();
        List<IndexInfo> indexes = s.indexesOn(table);
        indexes.forEach(i -> names.add(i.name().name()));
        return names;
    }
}
