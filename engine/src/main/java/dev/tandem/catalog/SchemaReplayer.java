package dev.tandem.catalog;

import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.ColumnDef;
import dev.tandem.sql.Constraint;
import dev.tandem.sql.Expr;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.TypeName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies a statement's effect to a {@link SchemaModel}, so that the next statement is judged
 * against the schema it will meet. Offline replay of earlier migrations uses it, and so does the
 * classifier after each statement. Pure bookkeeping: it never fails on objects it does not know
 * (the offline model is partial).
 *
 * <p>Names PostgreSQL generates are reproduced the way PostgreSQL 15 chose them (checked against
 * the server): {@code <table>_pkey}, {@code <table>_<cols>_key} for UNIQUE constraints,
 * {@code <table>_<cols>_idx} for indexes (an expression element counts as its function's name, or
 * {@code expr}), {@code <table>_<col>_check} for a CHECK on one column and {@code <table>_check}
 * otherwise, {@code <table>_<cols>_fkey}, {@code <table>_<cols>_excl}; a taken name gets a
 * number appended ({@code t_a_idx1}) and long names are truncated to 63 bytes as
 * {@code makeObjectName} does.
 */
public final class SchemaReplayer {
    private static final int NAMEDATALEN = 64;

    public void apply(Change change, SchemaModel schema) {
        switch (change) {
            case Change.CreateTable ct -> createTable(ct, schema);
            case Change.AlterTable at -> {
                for (AlterAction a : at.actions()) alterTable(at, a, schema);
            }
            case Change.DropTable dt -> dt.tables().forEach(t -> dropTable(t, schema));
            case Change.CreateIndex ci -> createIndex(ci, schema);
            case Change.DropIndex di -> di.indexes().forEach(i -> dropIndex(i, schema));
            case Change.AlterIndex ai -> alterIndex(ai, schema);
            case Change.CreateView cv -> {
                if (schema.table(cv.name()).isEmpty()) {
                    schema.putTable(new TableInfo(cv.name(), cv.materialized() ? RelationKind.MATERIALIZED_VIEW : RelationKind.VIEW));
                }
            }
            case Change.DropView dv -> dv.views().forEach(v -> dropTable(v, schema));
            case Change.AlterView av -> alterView(av, schema);
            case Change.CreateType ct -> {
                if (ct.kind().equals("enum")) schema.putEnumType(ct.name(), ct.values());
            }
            case Change.AlterType at -> alterType(at, schema);
            case Change.DropType dt -> dt.names().forEach(schema::removeEnumType);
            case Change.DropSchema ds -> {
                for (String s : ds.names()) {
                    for (TableInfo t : schema.tables()) {
                        if (t.name().schema().equals(s)) dropTable(t.name(), schema);
                    }
                }
            }
            case Change.AlterSchema as -> {
                if (as.newName() != null) {
                    for (TableInfo t : schema.tables()) {
                        if (t.name().schema().equals(as.name())) moveTable(t.name(), QualifiedName.of(as.newName(), t.name().name()), schema);
                    }
                }
            }
            default -> { }
        }
    }

    // ------------------------------------------------------------------ CREATE TABLE

    private static void createTable(Change.CreateTable ct, SchemaModel schema) {
        QualifiedName name = ct.name().resolved();
        if (schema.table(name).isPresent()) {
            if (ct.ifNotExists()) return;
            // Re-created without IF NOT EXISTS: the model was stale (the real statement would fail).
            dropTable(name, schema);
        }
        TableInfo t = new TableInfo(name, ct.partitionBy() != null ? RelationKind.PARTITIONED_TABLE : RelationKind.TABLE);
        t.setUnlogged(ct.unlogged());
        t.setAccessMethod(ct.accessMethod());
        t.setTablespace(ct.tablespace());
        schema.putTable(t);
        // Inherited and copied columns come first, as in pg_attribute.
        for (QualifiedName parent : ct.inherits()) {
            schema.table(parent).ifPresent(p -> p.columns().forEach(c -> t.putColumn(new ColumnInfo(
                    c.name(), c.type(), c.notNull(), c.defaultValue(), false, c.generated()))));
        }
        for (QualifiedName src : ct.like()) {
            // LIKE copies names, types and NOT NULL; defaults, constraints and indexes only with
            // INCLUDING options, which the Change does not keep.
            schema.table(src).ifPresent(p -> p.columns().forEach(c -> t.putColumn(new ColumnInfo(
                    c.name(), c.type(), c.notNull(), null, false, false))));
        }
        Optional<TableInfo> parent = ct.partitionOf() == null ? Optional.empty() : schema.table(ct.partitionOf());
        if (ct.partitionOf() != null) {
            t.setPartitionOf(ct.partitionOf());
            t.setPartitionBound(ct.partitionBound());
            // without a TABLESPACE clause a partition goes to its parent's tablespace (PostgreSQL 12+)
            if (ct.tablespace() == null) parent.ifPresent(p -> t.setTablespace(p.tablespace()));
            parent.ifPresent(p -> p.columns().forEach(t::putColumn));
        }
        for (ColumnDef cd : ct.columns()) {
            // In a partition, a column definition only adds options to the inherited column.
            Optional<ColumnInfo> existing = t.column(cd.name());
            if (existing.isPresent() && ct.partitionOf() != null) {
                ColumnInfo e = existing.get();
                t.putColumn(new ColumnInfo(e.name(), e.type(), e.notNull() || cd.impliesNotNull(),
                        cd.defaultValue() != null ? cd.defaultValue() : e.defaultValue(), e.identity(), e.generated()));
            } else {
                t.putColumn(column(name, cd));
            }
        }
        parent.ifPresent(p -> clonePartitionObjects(p, t, schema));
        for (ColumnDef cd : ct.columns()) {
            for (Constraint c : cd.constraints()) addConstraint(t, c, schema, true);
        }
        for (Constraint c : ct.constraints()) addConstraint(t, c, schema, true);
    }

    /**
     * A partition gets the parent's CHECK and FOREIGN KEY constraints and a copy of each index; an
     * index the partition already has on the same elements is adopted instead (ATTACH PARTITION).
     */
    private static void clonePartitionObjects(TableInfo parent, TableInfo partition, SchemaModel schema) {
        for (ConstraintInfo c : parent.constraints()) {
            if ((c.kind() == ConstraintInfo.Kind.CHECK || c.kind() == ConstraintInfo.Kind.FOREIGN_KEY)
                    && partition.constraint(c.name()).isEmpty()) {
                partition.addConstraint(c);
            }
        }
        for (IndexInfo i : schema.indexesOn(parent.name())) {
            boolean adopted = schema.indexesOn(partition.name()).stream()
                    .anyMatch(pi -> pi.elements().equals(i.elements()) && pi.unique() == i.unique()
                            && java.util.Objects.equals(pi.where(), i.where()));
            if (adopted) continue;
            Optional<ConstraintInfo> owner = parent.constraints().stream()
                    .filter(c -> i.name().name().equals(c.index())).findFirst();
            String name;
            if (i.primary()) {
                name = uniqueRelationName(schema, partition.name().schema(), objectName(partition.name().name(), null, "pkey"));
            } else if (owner.isPresent()) {
                String suffix = owner.get().kind() == ConstraintInfo.Kind.EXCLUSION ? "excl" : "key";
                name = uniqueRelationName(schema, partition.name().schema(),
                        objectName(partition.name().name(), columnLabel(i.elements()), suffix));
            } else {
                name = uniqueRelationName(schema, partition.name().schema(),
                        objectName(partition.name().name(), columnLabel(i.elements()), "idx"));
            }
            schema.putIndex(new IndexInfo(QualifiedName.of(partition.name().schema(), name), partition.name(),
                    i.unique(), i.primary(), true, i.elements(), i.where()));
            owner.ifPresent(c -> partition.addConstraint(new ConstraintInfo(
                    name, c.kind(), c.columns(), c.check(), c.refTable(), true, name)));
        }
    }

    /** A column as PostgreSQL stores it: serial types become integers with a sequence default. */
    private static ColumnInfo column(QualifiedName table, ColumnDef cd) {
        TypeName type = cd.type();
        Expr def = cd.defaultValue();
        boolean notNull = cd.impliesNotNull();
        if (cd.isSerial() && !type.isArray()) {
            String real = switch (type.name()) {
                case "smallserial" -> "smallint";
                case "bigserial" -> "bigint";
                default -> "integer";
            };
            type = new TypeName(real, List.of(), 0, real);
            String seq = objectName(table.name(), cd.name(), "seq");
            def = new Expr("nextval('" + seq + "'::regclass)", List.of("nextval"), false);
            notNull = true;
        }
        return new ColumnInfo(cd.name(), type, notNull, def, cd.identity() != null, cd.generated() != null);
    }

    // ------------------------------------------------------------------ constraints

    /**
     * Adds a constraint written in CREATE TABLE ({@code inCreate}: NOT VALID is ignored there, as
     * PostgreSQL does) or ALTER TABLE … ADD.
     */
    private static void addConstraint(TableInfo t, Constraint c, SchemaModel schema, boolean inCreate) {
        String table = t.name().name();
        String schemaName = t.name().schema();
        switch (c) {
            case Constraint.Check ck -> {
                String col = singleColumn(ck.expression(), t);
                String name = c.name() != null ? c.name() : uniqueConstraintName(t, objectName(table, col, "check"));
                t.addConstraint(new ConstraintInfo(name, ConstraintInfo.Kind.CHECK, col == null ? List.of() : List.of(col),
                        ck.expression(), null, inCreate || !ck.notValid(), null));
            }
            case Constraint.Unique u -> {
                if (u.usingIndex() != null) {
                    adoptIndex(t, schema, u.name(), u.usingIndex(), ConstraintInfo.Kind.UNIQUE);
                    return;
                }
                String name = c.name() != null ? c.name()
                        : uniqueRelationName(schema, schemaName, objectName(table, String.join("_", u.columns()), "key"));
                schema.putIndex(new IndexInfo(QualifiedName.of(schemaName, name), t.name(), true, false, true, u.columns(), null));
                t.addConstraint(new ConstraintInfo(name, ConstraintInfo.Kind.UNIQUE, u.columns(), null, null, true, name));
                indexOnPartitions(t, schema, u.columns(), true, false, "key");
            }
            case Constraint.PrimaryKey pk -> {
                if (pk.usingIndex() != null) {
                    adoptIndex(t, schema, pk.name(), pk.usingIndex(), ConstraintInfo.Kind.PRIMARY_KEY);
                    return;
                }
                String name = c.name() != null ? c.name() : uniqueRelationName(schema, schemaName, objectName(table, null, "pkey"));
                schema.putIndex(new IndexInfo(QualifiedName.of(schemaName, name), t.name(), true, true, true, pk.columns(), null));
                t.addConstraint(new ConstraintInfo(name, ConstraintInfo.Kind.PRIMARY_KEY, pk.columns(), null, null, true, name));
                for (String col : pk.columns()) t.column(col).ifPresent(ci -> t.putColumn(ci.withNotNull(true)));
                indexOnPartitions(t, schema, pk.columns(), true, true, "pkey");
            }
            case Constraint.ForeignKey fk -> {
                String name = c.name() != null ? c.name() : uniqueConstraintName(t, objectName(table, String.join("_", fk.columns()), "fkey"));
                QualifiedName ref = fk.refTable() != null ? fk.refTable().resolved() : t.name();
                t.addConstraint(new ConstraintInfo(name, ConstraintInfo.Kind.FOREIGN_KEY, fk.columns(), null, ref,
                        inCreate || !fk.notValid(), null));
            }
            case Constraint.Exclusion ex -> {
                List<String> cols = exclusionColumns(ex.definition());
                String name = c.name() != null ? c.name()
                        : uniqueRelationName(schema, schemaName, objectName(table, columnLabel(cols), "excl"));
                schema.putIndex(new IndexInfo(QualifiedName.of(schemaName, name), t.name(), false, false, true, cols, null));
                t.addConstraint(new ConstraintInfo(name, ConstraintInfo.Kind.EXCLUSION, cols, null, null, true, name));
            }
            case Constraint.NotNull nn -> {
                // PG 18: a named NOT NULL constraint; NOT VALID leaves the column nullable in effect
                // until VALIDATE CONSTRAINT.
                boolean validated = inCreate || !nn.notValid();
                String name = c.name() != null ? c.name() : uniqueConstraintName(t, objectName(table, nn.column(), "not_null"));
                t.addConstraint(new ConstraintInfo(name, ConstraintInfo.Kind.NOT_NULL, List.of(nn.column()), null, null, validated, null));
                if (validated) t.column(nn.column()).ifPresent(ci -> t.putColumn(ci.withNotNull(true)));
            }
        }
    }

    /**
     * {@code ADD [CONSTRAINT name] UNIQUE|PRIMARY KEY USING INDEX idx}: the index becomes the
     * constraint's and is renamed to the constraint's name (PostgreSQL's NOTICE "will rename
     * index"); without a name the constraint takes the index's. A primary key makes its columns
     * NOT NULL.
     */
    private static void adoptIndex(TableInfo t, SchemaModel schema, String constraintName, String indexName, ConstraintInfo.Kind kind) {
        QualifiedName idx = QualifiedName.of(t.name().schema(), indexName);
        String name = constraintName != null ? constraintName : indexName;
        List<String> cols = List.of();
        Optional<IndexInfo> existing = schema.index(idx);
        if (existing.isPresent()) {
            IndexInfo i = existing.get();
            cols = i.elements();
            schema.removeIndex(idx);
            schema.putIndex(new IndexInfo(QualifiedName.of(t.name().schema(), name), t.name(), true,
                    kind == ConstraintInfo.Kind.PRIMARY_KEY, i.valid(), i.elements(), i.where()));
        }
        t.addConstraint(new ConstraintInfo(name, kind, cols, null, null, true, name));
        if (kind == ConstraintInfo.Kind.PRIMARY_KEY) {
            for (String col : cols) t.column(col).ifPresent(ci -> t.putColumn(ci.withNotNull(true)));
        }
    }

    /** A UNIQUE / PRIMARY KEY on a partitioned table gets a matching index on every partition. */
    private static void indexOnPartitions(TableInfo t, SchemaModel schema, List<String> cols, boolean unique, boolean primary, String suffix) {
        for (TableInfo p : schema.partitionsOf(t.name())) {
            String label = primary ? null : String.join("_", cols);
            String name = uniqueRelationName(schema, p.name().schema(), objectName(p.name().name(), label, suffix));
            schema.putIndex(new IndexInfo(QualifiedName.of(p.name().schema(), name), p.name(), unique, primary, true, cols, null));
            p.addConstraint(new ConstraintInfo(name, primary ? ConstraintInfo.Kind.PRIMARY_KEY : ConstraintInfo.Kind.UNIQUE,
                    cols, null, null, true, name));
            indexOnPartitions(p, schema, cols, unique, primary, suffix);
        }
    }

    // ------------------------------------------------------------------ ALTER TABLE

    private static void alterTable(Change.AlterTable at, AlterAction action, SchemaModel schema) {
        QualifiedName name = at.table().resolved();
        Optional<TableInfo> found = schema.table(name);
        // ATTACH/DETACH name a second table that may be known even when the parent is not.
        switch (action) {
            case AlterAction.AttachPartition ap -> {
                schema.table(ap.partition()).ifPresent(p -> {
                    p.setPartitionOf(name);
                    p.setPartitionBound(ap.bound());
                    // ATTACH gives the partition the parent's indexes (adopting an equivalent one it has)
                    // and constraints, as CREATE TABLE … PARTITION OF does.
                    found.ifPresent(parent -> clonePartitionObjects(parent, p, schema));
                });
                return;
            }
            case AlterAction.DetachPartition dp -> {
                schema.table(dp.partition()).ifPresent(p -> {
                    p.setPartitionOf(null);
                    p.setPartitionBound(null);
                });
                return;
            }
            default -> { }
        }
        if (found.isEmpty()) return;
        TableInfo t = found.get();
        List<TableInfo> recursive = at.only() ? List.of() : descendants(schema, name);
        switch (action) {
            case AlterAction.AddColumn ac -> {
                if (t.column(ac.column().name()).isPresent()) return; // IF NOT EXISTS, or a stale model
                t.putColumn(column(name, ac.column()));
                for (TableInfo p : recursive) {
                    if (p.column(ac.column().name()).isEmpty()) p.putColumn(column(p.name(), ac.column()));
                }
                for (Constraint c : ac.column().constraints()) addConstraint(t, c, schema, false);
            }
            case AlterAction.DropColumn dc -> {
                dropColumn(t, dc.column(), schema);
                recursive.forEach(p -> dropColumn(p, dc.column(), schema));
            }
            case AlterAction.AlterColumnType act -> {
                updateColumn(t, act.column(), c -> c.withType(act.type()));
                recursive.forEach(p -> updateColumn(p, act.column(), c -> c.withType(act.type())));
            }
            case AlterAction.SetNotNull sn -> {
                updateColumn(t, sn.column(), c -> c.withNotNull(true));
                recursive.forEach(p -> updateColumn(p, sn.column(), c -> c.withNotNull(true)));
            }
            case AlterAction.DropNotNull dn -> {
                updateColumn(t, dn.column(), c -> c.withNotNull(false));
                recursive.forEach(p -> updateColumn(p, dn.column(), c -> c.withNotNull(false)));
                // PG 18 catalogues NOT NULL as a constraint; DROP NOT NULL removes it.
                t.constraints().stream().filter(c -> c.kind() == ConstraintInfo.Kind.NOT_NULL && c.columns().equals(List.of(dn.column())))
                        .toList().forEach(c -> t.removeConstraint(c.name()));
            }
            case AlterAction.SetDefault sd -> updateColumn(t, sd.column(), c -> c.withDefault(sd.value()));
            case AlterAction.DropDefault dd -> updateColumn(t, dd.column(), c -> c.withDefault(null));
            case AlterAction.AddIdentity ai -> updateColumn(t, ai.column(), c -> c.withIdentity(true).withNotNull(true));
            case AlterAction.AlterIdentity ai -> {
                if (ai.text() != null && ai.text().strip().toLowerCase(Locale.ROOT).startsWith("drop identity")) {
                    updateColumn(t, ai.column(), c -> c.withIdentity(false));
                }
            }
            case AlterAction.DropExpression de -> updateColumn(t, de.column(),
                    c -> new ColumnInfo(c.name(), c.type(), c.notNull(), c.defaultValue(), c.identity(), false));
            case AlterAction.AddConstraint ac -> {
                addConstraint(t, ac.constraint(), schema, false);
                // CHECK and FOREIGN KEY constraints recurse into partitions under the same name (PG15);
                // UNIQUE / PRIMARY KEY get partition indexes of their own (see indexOnPartitions).
                if (ac.constraint() instanceof Constraint.Check || ac.constraint() instanceof Constraint.ForeignKey) {
                    List<ConstraintInfo> all = t.constraints();
                    ConstraintInfo added = all.get(all.size() - 1);
                    recursive.forEach(p -> {
                        if (p.constraint(added.name()).isEmpty()) p.addConstraint(added);
                    });
                }
            }
            case AlterAction.ValidateConstraint vc -> {
                validate(t, vc.name());
                recursive.forEach(p -> validate(p, vc.name()));
            }
            case AlterAction.DropConstraint dc -> {
                Optional<ConstraintInfo> dropped = t.constraint(dc.name());
                dropConstraint(t, dc.name(), schema);
                for (TableInfo p : recursive) {
                    dropConstraint(p, dc.name(), schema);
                    // A partition's copy of a PRIMARY KEY / UNIQUE constraint has a name of its own
                    // (m1_pkey): it goes with the parent's.
                    dropped.filter(c -> c.kind() == ConstraintInfo.Kind.PRIMARY_KEY || c.kind() == ConstraintInfo.Kind.UNIQUE)
                            .ifPresent(c -> p.constraints().stream()
                                    .filter(pc -> pc.kind() == c.kind() && pc.columns().equals(c.columns()))
                                    .toList().forEach(pc -> dropConstraint(p, pc.name(), schema)));
                }
            }
            case AlterAction.RenameConstraint rc -> t.constraint(rc.from()).ifPresent(c -> {
                String index = c.index();
                if (index != null) {
                    QualifiedName old = QualifiedName.of(name.schema(), index);
                    schema.index(old).ifPresent(i -> {
                        schema.removeIndex(old);
                        schema.putIndex(new IndexInfo(QualifiedName.of(name.schema(), rc.to()), i.table(), i.unique(), i.primary(),
                                i.valid(), i.elements(), i.where()));
                    });
                    index = rc.to();
                }
                t.replaceConstraint(c.name(), new ConstraintInfo(rc.to(), c.kind(), c.columns(), c.check(), c.refTable(), c.validated(), index));
            });
            case AlterAction.RenameColumn rc -> {
                renameColumn(t, rc.from(), rc.to(), schema);
                recursive.forEach(p -> renameColumn(p, rc.from(), rc.to(), schema));
            }
            case AlterAction.RenameTable rt -> moveTable(name, QualifiedName.of(name.schema(), rt.newName()), schema);
            case AlterAction.SetSchema ss -> moveTable(name, QualifiedName.of(ss.schema(), name.name()), schema);
            case AlterAction.SetLogged sl -> t.setUnlogged(false);
            case AlterAction.SetUnlogged su -> t.setUnlogged(true);
            case AlterAction.SetTablespace ts -> t.setTablespace(ts.tablespace());
            case AlterAction.SetAccessMethod am -> t.setAccessMethod(am.method().equals("default") ? null : am.method());
            default -> { }
        }
    }

    private static void updateColumn(TableInfo t, String column, java.util.function.UnaryOperator<ColumnInfo> f) {
        t.column(column).ifPresent(c -> t.putColumn(f.apply(c)));
    }

    private static void dropColumn(TableInfo t, String column, SchemaModel schema) {
        t.removeColumn(column);
        // Constraints and indexes on the column go with it (multi-column ones too; CASCADE or not,
        // PostgreSQL drops them as internal dependencies).
        for (ConstraintInfo c : t.constraints()) {
            if (c.columns().contains(column)) dropConstraint(t, c.name(), schema);
        }
        for (IndexInfo i : schema.indexesOn(t.name())) {
            if (i.elements().contains(column)) schema.removeIndex(i.name());
        }
    }

    private static void validate(TableInfo t, String constraint) {
        t.constraint(constraint).ifPresent(c -> {
            t.replaceConstraint(c.name(), c.validatedNow());
            if (c.kind() == ConstraintInfo.Kind.NOT_NULL) {
                c.columns().forEach(col -> updateColumn(t, col, ci -> ci.withNotNull(true)));
            }
        });
    }

    private static void dropConstraint(TableInfo t, String constraint, SchemaModel schema) {
        t.constraint(constraint).ifPresent(c -> {
            t.removeConstraint(c.name());
            if (c.index() != null) schema.removeIndex(QualifiedName.of(t.name().schema(), c.index()));
            if (c.kind() == ConstraintInfo.Kind.NOT_NULL) {
                c.columns().forEach(col -> updateColumn(t, col, ci -> ci.withNotNull(false)));
            }
        });
    }

    private static void renameColumn(TableInfo t, String from, String to, SchemaModel schema) {
        if (t.column(from).isEmpty()) return;
        t.renameColumn(from, to);
        for (ConstraintInfo c : t.constraints()) {
            if (c.columns().contains(from)) {
                t.replaceConstraint(c.name(), new ConstraintInfo(c.name(), c.kind(), replace(c.columns(), from, to), c.check(),
                        c.refTable(), c.validated(), c.index()));
            }
        }
        for (IndexInfo i : schema.indexesOn(t.name())) {
            if (i.elements().contains(from)) {
                schema.putIndex(new IndexInfo(i.name(), i.table(), i.unique(), i.primary(), i.valid(), replace(i.elements(), from, to), i.where()));
            }
        }
    }

    private static List<String> replace(List<String> list, String from, String to) {
        return list.stream().map(s -> s.equals(from) ? to : s).toList();
    }

    /** RENAME TO / SET SCHEMA: indexes move with the table into its (new) schema. */
    private static void moveTable(QualifiedName from, QualifiedName to, SchemaModel schema) {
        if (schema.table(from).isEmpty()) return;
        List<IndexInfo> indexes = schema.indexesOn(from);
        schema.renameTable(from, to);
        QualifiedName target = to.resolved();
        for (TableInfo p : schema.tables()) {
            if (from.resolved().equals(p.partitionOf())) p.setPartitionOf(target);
        }
        if (!from.resolved().schema().equals(target.schema())) {
            for (IndexInfo i : indexes) {
                schema.removeIndex(i.name());
                schema.putIndex(new IndexInfo(QualifiedName.of(target.schema(), i.name().name()), target, i.unique(), i.primary(),
                        i.valid(), i.elements(), i.where()));
            }
        }
    }

    private static void dropTable(QualifiedName name, SchemaModel schema) {
        QualifiedName t = name.resolved();
        // Partitions go with their parent.
        for (TableInfo p : schema.partitionsOf(t)) dropTable(p.name(), schema);
        schema.removeTable(t);
        // Foreign keys that pointed at the table cannot outlive it (CASCADE drops them; without
        // CASCADE the DROP would have failed).
        for (TableInfo other : schema.tables()) {
            for (ConstraintInfo c : other.constraints()) {
                if (c.kind() == ConstraintInfo.Kind.FOREIGN_KEY && c.refTable() != null && c.refTable().resolved().equals(t)) {
                    other.removeConstraint(c.name());
                }
            }
        }
    }

    private static List<TableInfo> descendants(SchemaModel schema, QualifiedName table) {
        List<TableInfo> out = new ArrayList<>();
        for (TableInfo p : schema.partitionsOf(table)) {
            out.add(p);
            out.addAll(descendants(schema, p.name()));
        }
        return out;
    }

    // ------------------------------------------------------------------ indexes

    private static void createIndex(Change.CreateIndex ci, SchemaModel schema) {
        QualifiedName table = ci.table().resolved();
        String schemaName = table.schema();
        if (ci.name() != null && schema.index(QualifiedName.of(schemaName, ci.name().name())).isPresent()) {
            if (ci.ifNotExists()) return;
        }
        Optional<TableInfo> t = schema.table(table);
        boolean partitioned = t.map(TableInfo::isPartitioned).orElse(false);
        String name = ci.name() != null ? ci.name().name()
                : uniqueRelationName(schema, schemaName, objectName(table.name(), columnLabel(ci.elements()), "idx"));
        // ON ONLY a partitioned table: the index stays INVALID until an index of every partition is
        // attached to it (ALTER INDEX … ATTACH PARTITION).
        boolean valid = !(ci.only() && partitioned);
        schema.putIndex(new IndexInfo(QualifiedName.of(schemaName, name), table, ci.unique(), false, valid, ci.elements(), ci.where()));
        if (partitioned && !ci.only()) {
            for (TableInfo p : descendants(schema, table)) {
                String pn = uniqueRelationName(schema, p.name().schema(), objectName(p.name().name(), columnLabel(ci.elements()), "idx"));
                schema.putIndex(new IndexInfo(QualifiedName.of(p.name().schema(), pn), p.name(), ci.unique(), false, true, ci.elements(), ci.where()));
            }
        }
    }

    private static void dropIndex(QualifiedName index, SchemaModel schema) {
        schema.removeIndex(index.resolved());
    }

    private static void alterIndex(Change.AlterIndex ai, SchemaModel schema) {
        QualifiedName idx = ai.index().resolved();
        Optional<IndexInfo> found = schema.index(idx);
        if (found.isEmpty() || ai.target() == null) return;
        IndexInfo i = found.get();
        switch (ai.action()) {
            case "rename" -> {
                String to = lastPart(ai.target());
                schema.removeIndex(idx);
                schema.putIndex(new IndexInfo(QualifiedName.of(idx.schema(), to), i.table(), i.unique(), i.primary(), i.valid(),
                        i.elements(), i.where()));
                // Renaming a constraint's index renames the constraint too.
                schema.table(i.table()).ifPresent(t -> t.constraints().stream()
                        .filter(c -> idx.name().equals(c.index())).findFirst()
                        .ifPresent(c -> t.replaceConstraint(c.name(),
                                new ConstraintInfo(to, c.kind(), c.columns(), c.check(), c.refTable(), c.validated(), to))));
            }
            case "attach partition" -> {
                // The parent index becomes valid once every partition has an index attached; the model
                // approximates "attached" by "has an index on the same elements".
                if (i.valid()) return;
                boolean all = schema.partitionsOf(i.table()).stream().allMatch(p -> schema.indexesOn(p.name()).stream()
                        .anyMatch(pi -> pi.elements().equals(i.elements()) && pi.valid()));
                if (all) {
                    schema.putIndex(new IndexInfo(i.name(), i.table(), i.unique(), i.primary(), true, i.elements(), i.where()));
                }
            }
            default -> { }
        }
    }

    // ------------------------------------------------------------------ views and types

    private static void alterView(Change.AlterView av, SchemaModel schema) {
        QualifiedName v = av.view().resolved();
        if (av.target() == null) return;
        switch (av.action()) {
            case "rename", "rename to" -> moveTable(v, QualifiedName.of(v.schema(), lastPart(av.target())), schema);
            case "set schema" -> moveTable(v, QualifiedName.of(lastPart(av.target()), v.name()), schema);
            default -> { }
        }
    }

    private static void alterType(Change.AlterType at, SchemaModel schema) {
        Optional<List<String>> found = schema.enumType(at.name());
        if (found.isEmpty()) return;
        List<String> values = new ArrayList<>(found.get());
        switch (at.action()) {
            case "add value" -> {
                if (at.value() == null || values.contains(at.value())) return;
                int pos = values.size();
                if (at.position() != null) {
                    Matcher m = POSITION.matcher(at.position().strip());
                    if (m.matches()) {
                        int anchor = values.indexOf(m.group(2).replace("''", "'"));
                        if (anchor >= 0) pos = m.group(1).equalsIgnoreCase("before") ? anchor : anchor + 1;
                    }
                }
                values.add(pos, at.value());
                schema.putEnumType(at.name(), values);
            }
            case "rename value" -> {
                int i = at.position() == null ? -1 : values.indexOf(unquote(at.position()));
                if (i >= 0 && at.value() != null) {
                    values.set(i, at.value());
                    schema.putEnumType(at.name(), values);
                }
            }
            case "rename", "rename to" -> {
                if (at.value() != null) {
                    schema.removeEnumType(at.name());
                    schema.putEnumType(QualifiedName.of(at.name().resolved().schema(), at.value()), values);
                }
            }
            case "set schema" -> {
                if (at.value() != null) {
                    schema.removeEnumType(at.name());
                    schema.putEnumType(QualifiedName.of(at.value(), at.name().name()), values);
                }
            }
            default -> { }
        }
    }

    private static final Pattern POSITION = Pattern.compile("(?i)(before|after)\\s+'(.*)'");

    private static String unquote(String s) {
        String v = s.strip();
        if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) v = v.substring(1, v.length() - 1).replace("''", "'");
        return v;
    }

    private static String lastPart(String target) {
        String s = target.strip();
        int dot = s.lastIndexOf('.');
        s = dot >= 0 ? s.substring(dot + 1) : s;
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) return s.substring(1, s.length() - 1).replace("\"\"", "\"");
        return s.toLowerCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------ PostgreSQL's generated names

    /**
     * {@code makeObjectName(name1, name2, label)}: joins the parts with underscores, shortening the
     * longer of {@code name1}/{@code name2} one character at a time until the result fits in
     * NAMEDATALEN - 1 bytes. Public for the planner, which names the helper objects it creates the
     * same way.
     */
    public static String objectName(String name1, String name2, String label) {
        int overhead = (label == null ? 0 : label.length() + 1) + (name2 == null ? 0 : 1);
        int n1 = name1.length();
        int n2 = name2 == null ? 0 : name2.length();
        while (n1 + n2 + overhead > NAMEDATALEN - 1) {
            if (n1 > n2) n1--;
            else n2--;
        }
        StringBuilder sb = new StringBuilder(name1.substring(0, n1));
        if (name2 != null) sb.append('_').append(name2, 0, n2);
        if (label != null) sb.append('_').append(label);
        return sb.toString();
    }

    /** The index name part for elements: columns joined by {@code _}; an expression is its function or {@code expr}. */
    static String columnLabel(List<String> elements) {
        List<String> parts = new ArrayList<>();
        for (String e : elements) {
            String s = e.strip();
            Matcher col = COLUMN_ELEMENT.matcher(s);
            if (col.matches()) {
                String c = col.group(1);
                parts.add(c.startsWith("\"") ? c.substring(1, c.length() - 1) : c);
            } else {
                Matcher m = FUNCTION.matcher(s);
                parts.add(m.lookingAt() ? m.group(1).toLowerCase(Locale.ROOT) : "expr");
            }
        }
        return parts.isEmpty() ? null : String.join("_", parts);
    }

    /**
     * A column element, possibly followed by COLLATE, an operator class, ASC/DESC, NULLS … (words);
     * {@code a + b} is an expression.
     */
    private static final Pattern COLUMN_ELEMENT = Pattern.compile("([a-z_][a-z0-9_$]*|\"[^\"]+\")(\\s+[A-Za-z_\"][^()]*)?");

    private static final Pattern FUNCTION = Pattern.compile("\\(?\\s*(?:[A-Za-z_][A-Za-z0-9_]*\\.)?([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");

    /** Relation names (indexes) are unique per schema: append 1, 2, … as ChooseRelationName does. */
    private static String uniqueRelationName(SchemaModel schema, String schemaName, String base) {
        String candidate = base;
        for (int i = 1; taken(schema, schemaName, candidate); i++) {
            candidate = withSuffix(base, i);
        }
        return candidate;
    }

    private static boolean taken(SchemaModel schema, String schemaName, String name) {
        QualifiedName q = QualifiedName.of(schemaName, name);
        return schema.index(q).isPresent() || schema.table(q).isPresent();
    }

    private static String uniqueConstraintName(TableInfo t, String base) {
        String candidate = base;
        for (int i = 1; t.constraint(candidate).isPresent(); i++) {
            candidate = withSuffix(base, i);
        }
        return candidate;
    }

    /** {@code t_a_idx} + 1 → {@code t_a_idx1}, shortened to fit like makeObjectName. */
    private static String withSuffix(String base, int n) {
        String s = Integer.toString(n);
        String b = base.length() + s.length() > NAMEDATALEN - 1 ? base.substring(0, NAMEDATALEN - 1 - s.length()) : base;
        return b + s;
    }

    /**
     * The one column a CHECK expression mentions, for its generated name, or null when it mentions
     * none or several. Identifiers that are keywords, function names or type names after
     * {@code ::} do not count; with a known table only its columns count.
     */
    static String singleColumn(Expr expr, TableInfo t) {
        if (expr == null) return null;
        Set<String> found = new LinkedHashSet<>();
        Collection<String> known = t.columns().stream().map(ColumnInfo::name).toList();
        String s = expr.text();
        int i = 0;
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (ch == '\'') {
                int j = i + 1;
                while (j < s.length()) {
                    if (s.charAt(j) == '\'' && j + 1 < s.length() && s.charAt(j + 1) == '\'') j += 2;
                    else if (s.charAt(j) == '\'') break;
                    else j++;
                }
                i = j + 1;
                continue;
            }
            String ident = null;
            int end;
            if (ch == '"') {
                end = s.indexOf('"', i + 1);
                if (end < 0) break;
                ident = s.substring(i + 1, end);
                end++;
            } else if (Character.isLetter(ch) || ch == '_') {
                end = i;
                while (end < s.length() && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_' || s.charAt(end) == '$')) end++;
                ident = s.substring(i, end).toLowerCase(Locale.ROOT);
            } else {
                i++;
                continue;
            }
            boolean afterCast = i >= 2 && s.substring(0, i).stripTrailing().endsWith("::");
            int k = end;
            while (k < s.length() && Character.isWhitespace(s.charAt(k))) k++;
            boolean call = k < s.length() && s.charAt(k) == '(';
            boolean qualified = k < s.length() && s.charAt(k) == '.';
            if (!afterCast && !call && !qualified && !(ch != '"' && KEYWORDS.contains(ident))
                    && (known.isEmpty() || known.contains(ident))) {
                found.add(ident);
            }
            i = end;
        }
        return found.size() == 1 ? found.iterator().next() : null;
    }

    private static final Set<String> KEYWORDS = Set.of(
            "and", "or", "not", "is", "null", "true", "false", "in", "like", "ilike", "similar", "to", "between",
            "symmetric", "distinct", "from", "case", "when", "then", "else", "end", "any", "all", "some", "array",
            "cast", "as", "collate", "escape", "isnull", "notnull", "value", "current_date", "current_timestamp",
            "current_time", "localtime", "localtimestamp", "current_user", "session_user", "user", "interval",
            "date", "time", "timestamp", "with", "without", "zone", "at", "row", "exists", "select", "where", "unknown");

    /** Column names of {@code EXCLUDE [USING m] (col WITH op, …)}: the first word of each element. */
    private static List<String> exclusionColumns(String definition) {
        List<String> cols = new ArrayList<>();
        if (definition == null) return cols;
        int open = definition.indexOf('(');
        if (open < 0) return cols;
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        for (int i = open + 1; i < definition.length(); i++) {
            char ch = definition.charAt(i);
            if (ch == '(') depth++;
            if (ch == ')') {
                if (depth == 0) {
                    addExclusionColumn(cur.toString(), cols);
                    break;
                }
                depth--;
            }
            if (ch == ',' && depth == 0) {
                addExclusionColumn(cur.toString(), cols);
                cur.setLength(0);
                continue;
            }
            cur.append(ch);
        }
        return cols;
    }

    private static void addExclusionColumn(String element, List<String> cols) {
        String s = element.strip();
        int with = s.toLowerCase(Locale.ROOT).lastIndexOf(" with ");
        if (with > 0) s = s.substring(0, with).strip();
        String first = s.split("\\s+")[0];
        cols.add(first.startsWith("\"") ? first.replace("\"", "") : first.toLowerCase(Locale.ROOT));
    }
}
