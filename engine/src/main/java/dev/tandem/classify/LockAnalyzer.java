package dev.tandem.classify;

import dev.tandem.catalog.ConstraintInfo;
import dev.tandem.catalog.IndexInfo;
import dev.tandem.catalog.SchemaModel;
import dev.tandem.catalog.TableInfo;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.ColumnDef;
import dev.tandem.sql.Constraint;
import dev.tandem.sql.LockMode;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.tandem.sql.LockMode.ACCESS_EXCLUSIVE;
import static dev.tandem.sql.LockMode.ACCESS_SHARE;
import static dev.tandem.sql.LockMode.EXCLUSIVE;
import static dev.tandem.sql.LockMode.ROW_EXCLUSIVE;
import static dev.tandem.sql.LockMode.ROW_SHARE;
import static dev.tandem.sql.LockMode.SHARE;
import static dev.tandem.sql.LockMode.SHARE_ROW_EXCLUSIVE;
import static dev.tandem.sql.LockMode.SHARE_UPDATE_EXCLUSIVE;

/**
 * The table-level locks a statement takes, per PostgreSQL's documentation of each command
 * (ALTER TABLE takes the strongest lock of its subcommands; FOREIGN KEY also locks the referenced
 * table; …). Pure. Returns locks on every table the statement touches, new or not; the
 * {@link Classifier} keeps only pre-existing ones for the report.
 *
 * <p>Only relation locks on tables, partitioned tables, views and materialized views are reported
 * (index and sequence locks are not: an index lock never blocks a query that the table lock
 * would not). The lock levels below were checked on PostgreSQL 15 with {@code pg_locks} inside
 * {@code BEGIN … ROLLBACK}; "(PG15)" marks such a check where the documentation is silent or
 * vague. Version-dependent levels name the version that changed them.
 */
public final class LockAnalyzer {

    /**
     * Storage parameters that ALTER TABLE … SET/RESET changes under ShareUpdateExclusiveLock
     * (ALTER TABLE docs; PG15: fillfactor, toast_tuple_target, parallel_workers, vacuum_*,
     * log_autovacuum_min_duration, autovacuum_* and toast.* all SUE). Anything else
     * ({@code user_catalog_table}, …) takes AccessExclusiveLock.
     */
    private static final Set<String> SUE_STORAGE_PARAMETERS = Set.of(
            "fillfactor", "toast_tuple_target", "parallel_workers", "vacuum_index_cleanup", "vacuum_truncate",
            "log_autovacuum_min_duration");

    /** Strongest lock per table, in the order the tables appear in the statement. */
    public List<TableLock> locks(Change change, SchemaModel schema, PgVersion version) {
        Locks l = new Locks();
        switch (change) {
            case Change.CreateTable ct -> createTable(ct, schema, l);
            case Change.AlterTable at -> alterTable(at, schema, version, l);
            // CASCADE drops what depends on the schema or the type: AccessExclusiveLock on every
            // relation of the schema, and on every table with a column of the type (traced on 13,
            // 15, 18). Without CASCADE the drop fails when anything depends on it: no table lock.
            case Change.DropSchema ds when ds.cascade() -> {
                for (TableInfo t : schema.tables()) {
                    if (ds.names().contains(t.name().resolved().schema())) l.add(t.name(), ACCESS_EXCLUSIVE);
                }
            }
            case Change.DropType dt when dt.cascade() -> {
                for (TableInfo t : schema.tables()) {
                    boolean uses = t.columns().stream().anyMatch(c -> dt.names().stream().anyMatch(n ->
                            n.name().equalsIgnoreCase(c.type().name()) || n.display().equalsIgnoreCase(c.type().name())));
                    if (uses) l.add(t.name(), ACCESS_EXCLUSIVE);
                }
            }
            case Change.DropTable dt -> {
                // DROP TABLE takes AccessExclusiveLock on the table and on every table linked to it by a
                // foreign key in either direction: the RI triggers on the other side are dropped (PG15).
                for (QualifiedName t : dt.tables()) {
                    l.add(t, ACCESS_EXCLUSIVE);
                    for (QualifiedName p : descendants(schema, t)) l.add(p, ACCESS_EXCLUSIVE);
                }
                for (QualifiedName t : dt.tables()) {
                    schema.table(t).ifPresent(info -> info.constraints().stream()
                            .filter(c -> c.kind() == ConstraintInfo.Kind.FOREIGN_KEY && c.refTable() != null)
                            .forEach(c -> l.add(c.refTable(), ACCESS_EXCLUSIVE)));
                    for (TableInfo r : schema.referencing(t)) l.add(r.name(), ACCESS_EXCLUSIVE);
                }
            }
            case Change.Truncate tr -> {
                // AccessExclusiveLock on each table and its partitions; CASCADE also truncates, and
                // so locks, every table referencing them, transitively (PG15).
                List<QualifiedName> queue = new ArrayList<>(tr.tables());
                Set<String> seen = new LinkedHashSet<>();
                for (int i = 0; i < queue.size(); i++) {
                    QualifiedName t = queue.get(i);
                    if (!seen.add(t.display())) continue;
                    l.add(t, ACCESS_EXCLUSIVE);
                    queue.addAll(descendants(schema, t));
                    if (tr.cascade()) {
                        for (TableInfo r : schema.referencing(t)) queue.add(r.name());
                    }
                }
            }
            case Change.CreateIndex ci -> {
                // ShareLock blocks writes for the whole build; CONCURRENTLY takes ShareUpdateExclusiveLock.
                // On a partitioned table (without ONLY) the index is built on every partition, each
                // under the same lock (PG15).
                LockMode mode = ci.concurrently() ? SHARE_UPDATE_EXCLUSIVE : SHARE;
                l.add(ci.table(), mode);
                if (!ci.only()) {
                    for (QualifiedName p : descendants(schema, ci.table())) l.add(p, mode);
                }
            }
            case Change.DropIndex di -> {
                // AccessExclusiveLock on the index's table (PG15); CONCURRENTLY: ShareUpdateExclusiveLock.
                // An index the model does not know has an unknown table: nothing to report.
                for (QualifiedName idx : di.indexes()) {
                    schema.index(idx).ifPresent(i -> {
                        l.add(i.table(), di.concurrently() ? SHARE_UPDATE_EXCLUSIVE : ACCESS_EXCLUSIVE);
                        // a partitioned index takes its partitions' indexes with it: AccessExclusiveLock
                        // on every partition too (traced on 13, 15, 18; CONCURRENTLY is refused for it)
                        if (!di.concurrently()) descendants(schema, i.table()).forEach(p -> l.add(p, ACCESS_EXCLUSIVE));
                    });
                }
            }
            case Change.AlterIndex ai -> {
                // ALTER INDEX locks the index itself (RENAME: ShareUpdateExclusiveLock on the index, PG15),
                // not its table.
            }
            case Change.Reindex ri -> reindex(ri, schema, l);
            // CREATE OR REPLACE VIEW of an existing view: AccessExclusiveLock on it (PG15); a new view
            // did not exist before, so nobody waits for it.
            case Change.CreateView cv -> {
                if (cv.orReplace() && !cv.materialized()) l.add(cv.name(), ACCESS_EXCLUSIVE);
            }
            case Change.DropView dv -> dv.views().forEach(v -> l.add(v, ACCESS_EXCLUSIVE));
            case Change.AlterView av -> l.add(av.view(), ACCESS_EXCLUSIVE); // RENAME: AccessExclusiveLock (PG15)
            case Change.RefreshMaterializedView r ->
                    // CONCURRENTLY keeps readers going: ExclusiveLock instead of AccessExclusiveLock (PG15).
                    l.add(r.view(), r.concurrently() ? EXCLUSIVE : ACCESS_EXCLUSIVE);
            case Change.CreateTrigger tg -> l.add(tg.table(), SHARE_ROW_EXCLUSIVE);
            case Change.DropTrigger tg -> l.add(tg.table(), ACCESS_EXCLUSIVE); // (PG15)
            case Change.CreateRule r -> l.add(r.table(), ACCESS_EXCLUSIVE); // (PG15)
            case Change.AlterDomain ad -> alterDomain(ad, schema, l);
            case Change.Update u -> l.add(u.table(), ROW_EXCLUSIVE);
            case Change.Delete d -> l.add(d.table(), ROW_EXCLUSIVE);
            case Change.Insert i -> l.add(i.table(), ROW_EXCLUSIVE);
            case Change.Merge m -> l.add(m.table(), ROW_EXCLUSIVE);
            case Change.Copy c -> l.add(c.table(), c.from() ? ROW_EXCLUSIVE : ACCESS_SHARE);
            case Change.Vacuum v -> {
                // VACUUM FULL rewrites under AccessExclusiveLock; plain VACUUM and ANALYZE take
                // ShareUpdateExclusiveLock (PG15 for ANALYZE). Without tables: the whole database,
                // which the model cannot enumerate.
                LockMode mode = v.full() && !v.analyzeOnly() ? ACCESS_EXCLUSIVE : SHARE_UPDATE_EXCLUSIVE;
                v.tables().forEach(t -> l.add(t, mode));
            }
            case Change.Cluster c -> {
                if (c.table() != null) l.add(c.table(), ACCESS_EXCLUSIVE);
            }
            case Change.LockTable lt -> {
                // LOCK TABLE recurses into partitions and inheritance children (PG15).
                for (QualifiedName t : lt.tables()) {
                    l.add(t, lt.mode());
                    for (QualifiedName p : descendants(schema, t)) l.add(p, lt.mode());
                }
            }
            case Change.Comment c -> comment(c, l);
            case Change.OtherDdl o -> {
                if (o.table() != null) {
                    switch (o.objectKind()) {
                        // CREATE/ALTER/DROP POLICY: AccessExclusiveLock on the table (PG15).
                        case "policy" -> l.add(o.table(), ACCESS_EXCLUSIVE);
                        // CREATE/DROP STATISTICS: ShareUpdateExclusiveLock (PG15).
                        case "statistics" -> l.add(o.table(), SHARE_UPDATE_EXCLUSIVE);
                        // CREATE PUBLICATION … FOR TABLE: ShareUpdateExclusiveLock (PG15).
                        case "publication" -> l.add(o.table(), SHARE_UPDATE_EXCLUSIVE);
                        default -> { }
                    }
                }
            }
            // Types, domains, functions, sequences, schemas, extensions, privileges, session and
            // transaction control, plain queries (their AccessShareLocks are not modelled) and what
            // the parser did not understand: no table locks Tandem can name.
            default -> { }
        }
        return l.list();
    }

    // ------------------------------------------------------------------ CREATE TABLE

    private static void createTable(Change.CreateTable ct, SchemaModel schema, Locks l) {
        // The new table's own AccessExclusiveLock is not reported: nobody can be waiting for a table
        // that did not exist before the statement.
        if (ct.partitionOf() != null) {
            // CREATE TABLE … PARTITION OF takes AccessExclusiveLock on the parent on every version
            // (PG15 checked; PG 12's lower ATTACH level does not apply), and on the parent's DEFAULT
            // partition, whose rows it checks against the new bound.
            l.add(ct.partitionOf(), ACCESS_EXCLUSIVE);
            if (!TableInfo.isDefaultBound(ct.partitionBound())) {
                schema.defaultPartitionOf(ct.partitionOf()).ifPresent(d -> l.add(d.name(), ACCESS_EXCLUSIVE));
            }
        }
        // INHERITS: ShareUpdateExclusiveLock on each parent (PG15); LIKE: AccessShareLock on the source.
        ct.inherits().forEach(p -> l.add(p, SHARE_UPDATE_EXCLUSIVE));
        ct.like().forEach(p -> l.add(p, ACCESS_SHARE));
        // A foreign key adds RI triggers to the referenced table: ShareRowExclusiveLock on it.
        for (ColumnDef col : ct.columns()) {
            for (Constraint c : col.constraints()) {
                if (c instanceof Constraint.ForeignKey fk) l.add(referenced(fk, ct.name()), SHARE_ROW_EXCLUSIVE);
            }
        }
        for (Constraint c : ct.constraints()) {
            if (c instanceof Constraint.ForeignKey fk) l.add(referenced(fk, ct.name()), SHARE_ROW_EXCLUSIVE);
        }
    }

    // ------------------------------------------------------------------ ALTER TABLE

    private static void alterTable(Change.AlterTable at, SchemaModel schema, PgVersion version, Locks l) {
        QualifiedName table = at.table();
        Optional<TableInfo> info = schema.table(table);
        List<QualifiedName> children = at.only() ? List.of() : descendants(schema, table);
        // The table's own lock first, so it leads the list.
        LockMode own = null;
        for (AlterAction a : at.actions()) {
            LockMode m = ownLock(a, version);
            own = own == null ? m : LockMode.stronger(own, m);
        }
        if (own != null) l.add(table, own);
        for (AlterAction a : at.actions()) {
            LockMode recursive = recursiveLock(a);
            if (recursive != null) children.forEach(c -> l.add(c, recursive));
            switch (a) {
                case AlterAction.AddColumn ac -> {
                    for (Constraint c : ac.column().constraints()) {
                        if (c instanceof Constraint.ForeignKey fk) l.add(referenced(fk, table), SHARE_ROW_EXCLUSIVE);
                    }
                }
                case AlterAction.AddConstraint ac when ac.constraint() instanceof Constraint.ForeignKey fk ->
                        // ShareRowExclusiveLock on both tables, NOT VALID or not (PG15).
                        l.add(referenced(fk, table), SHARE_ROW_EXCLUSIVE);
                case AlterAction.ValidateConstraint vc -> info.flatMap(t -> t.constraint(vc.name()))
                        .filter(c -> c.kind() == ConstraintInfo.Kind.FOREIGN_KEY && c.refTable() != null)
                        // Validating a foreign key reads the referenced table under RowShareLock (PG15).
                        .ifPresent(c -> l.add(c.refTable(), ROW_SHARE));
                case AlterAction.DropConstraint dc -> info.flatMap(t -> t.constraint(dc.name())).ifPresent(c -> {
                    // Dropping a foreign key removes its RI triggers from the referenced table:
                    // AccessExclusiveLock there too (PG15). CASCADE from a referenced key drops the
                    // referencing foreign keys, locking their tables the same way.
                    if (c.kind() == ConstraintInfo.Kind.FOREIGN_KEY && c.refTable() != null) {
                        l.add(c.refTable(), ACCESS_EXCLUSIVE);
                    }
                    if (dc.cascade() && (c.kind() == ConstraintInfo.Kind.PRIMARY_KEY || c.kind() == ConstraintInfo.Kind.UNIQUE)) {
                        referencingColumns(schema, table, c.columns()).forEach(r -> l.add(r, ACCESS_EXCLUSIVE));
                    }
                });
                // A foreign key on a dropped or retyped column is dropped (and, for a type change,
                // re-created): AccessExclusiveLock on the referenced table; foreign keys of other tables
                // pointing at the column are rebuilt too: AccessExclusiveLock on those tables (PG15).
                case AlterAction.DropColumn dc -> columnDependents(schema, info, table, dc.column(), l);
                case AlterAction.AlterColumnType act -> columnDependents(schema, info, table, act.column(), l);
                case AlterAction.AttachPartition ap -> {
                    // AccessExclusiveLock on the partition being attached, and on the parent's DEFAULT
                    // partition, whose rows are checked against the new bound (PG15: "verifying table");
                    // the parent gets only ShareUpdateExclusiveLock since PG 12.
                    l.add(ap.partition(), ACCESS_EXCLUSIVE);
                    if (!TableInfo.isDefaultBound(ap.bound())) {
                        schema.defaultPartitionOf(table).ifPresent(d -> l.add(d.name(), ACCESS_EXCLUSIVE));
                    }
                }
                case AlterAction.DetachPartition dp ->
                        // From 14 the partition ends with AccessExclusiveLock either way (CONCURRENTLY
                        // keeps the parent at ShareUpdateExclusiveLock); 12 and 13 take only
                        // ShareUpdateExclusiveLock on it (traced on 13).
                        l.add(dp.partition(), version.atLeast(14) ? ACCESS_EXCLUSIVE : SHARE_UPDATE_EXCLUSIVE);
                case AlterAction.Inherit in ->
                        // INHERIT: ShareUpdateExclusiveLock on the parent; NO INHERIT: AccessShareLock (PG15).
                        l.add(in.parent(), in.inherit() ? SHARE_UPDATE_EXCLUSIVE : ACCESS_SHARE);
                default -> { }
            }
        }
    }

    /** The lock a subcommand takes on the altered table itself. */
    private static LockMode ownLock(AlterAction a, PgVersion version) {
        return switch (a) {
            // Per-column planner settings: ShareUpdateExclusiveLock. SET STORAGE and SET COMPRESSION
            // take AccessExclusiveLock (PG15).
            case AlterAction.AlterColumnOption o -> switch (o.option()) {
                case "statistics", "options" -> SHARE_UPDATE_EXCLUSIVE;
                default -> ACCESS_EXCLUSIVE;
            };
            // Adding a foreign key only blocks writes (ShareRowExclusiveLock) on both tables.
            case AlterAction.AddConstraint ac when ac.constraint() instanceof Constraint.ForeignKey -> SHARE_ROW_EXCLUSIVE;
            // CHECK / UNIQUE / PRIMARY KEY / EXCLUDE / NOT NULL constraints: AccessExclusiveLock.
            case AlterAction.AddConstraint ac -> ACCESS_EXCLUSIVE;
            // VALIDATE CONSTRAINT scans under ShareUpdateExclusiveLock: reads and writes continue.
            case AlterAction.ValidateConstraint vc -> SHARE_UPDATE_EXCLUSIVE;
            case AlterAction.SetStorageParameters sp -> sp.parameters().keySet().stream()
                    .allMatch(LockAnalyzer::isSueStorageParameter) ? SHARE_UPDATE_EXCLUSIVE : ACCESS_EXCLUSIVE;
            case AlterAction.ClusterOn c -> SHARE_UPDATE_EXCLUSIVE;
            case AlterAction.SetWithoutCluster c -> SHARE_UPDATE_EXCLUSIVE;
            // ENABLE/DISABLE TRIGGER: ShareRowExclusiveLock (ENABLE/DISABLE RULE: AccessExclusiveLock, PG15).
            case AlterAction.ToggleTrigger t -> SHARE_ROW_EXCLUSIVE;
            // ATTACH PARTITION: ShareUpdateExclusiveLock on the parent since PG 12 (Tandem's minimum).
            case AlterAction.AttachPartition ap -> SHARE_UPDATE_EXCLUSIVE;
            // DETACH … CONCURRENTLY (PG 14+; FINALIZE likewise): ShareUpdateExclusiveLock on the parent.
            // Before 14 CONCURRENTLY is a syntax error; count it as the plain form.
            case AlterAction.DetachPartition dp ->
                    (dp.concurrently() || dp.finalizeDetach()) && version.atLeast(14) ? SHARE_UPDATE_EXCLUSIVE : ACCESS_EXCLUSIVE;
            // Everything else (ADD/DROP/RENAME COLUMN, TYPE, SET/DROP NOT NULL, SET/DROP DEFAULT,
            // identity, RENAME, SET SCHEMA, SET LOGGED/UNLOGGED, SET TABLESPACE, SET ACCESS METHOD,
            // REPLICA IDENTITY, ROW LEVEL SECURITY, INHERIT, OWNER TO, DROP CONSTRAINT, RULE toggles):
            // AccessExclusiveLock.
            default -> ACCESS_EXCLUSIVE;
        };
    }

    private static boolean isSueStorageParameter(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return SUE_STORAGE_PARAMETERS.contains(k) || k.startsWith("autovacuum_") || k.startsWith("toast.");
    }

    /**
     * The lock a subcommand takes on each partition (and inheritance child) when it recurses, or
     * null when it acts on the named table alone (PG15: column and constraint subcommands recurse;
     * RENAME TO, OWNER, SET (…), triggers, ATTACH/DETACH do not).
     */
    private static LockMode recursiveLock(AlterAction a) {
        return switch (a) {
            case AlterAction.AddColumn x -> ACCESS_EXCLUSIVE;
            case AlterAction.DropColumn x -> ACCESS_EXCLUSIVE;
            case AlterAction.AlterColumnType x -> ACCESS_EXCLUSIVE;
            case AlterAction.SetNotNull x -> ACCESS_EXCLUSIVE;
            case AlterAction.DropNotNull x -> ACCESS_EXCLUSIVE;
            case AlterAction.SetDefault x -> ACCESS_EXCLUSIVE;
            case AlterAction.DropDefault x -> ACCESS_EXCLUSIVE;
            case AlterAction.RenameColumn x -> ACCESS_EXCLUSIVE;
            case AlterAction.AlterColumnOption o -> ownLock(o, PgVersion.DEFAULT);
            // A UNIQUE / PRIMARY KEY on a partitioned table builds an index on each partition: ShareLock there.
            case AlterAction.AddConstraint ac -> switch (ac.constraint()) {
                case Constraint.ForeignKey fk -> SHARE_ROW_EXCLUSIVE;
                case Constraint.Unique u when u.usingIndex() == null -> SHARE;
                case Constraint.PrimaryKey p when p.usingIndex() == null -> SHARE;
                default -> ACCESS_EXCLUSIVE;
            };
            case AlterAction.ValidateConstraint x -> SHARE_UPDATE_EXCLUSIVE;
            case AlterAction.DropConstraint x -> ACCESS_EXCLUSIVE;
            default -> null;
        };
    }

    private static void columnDependents(SchemaModel schema, Optional<TableInfo> info, QualifiedName table, String column, Locks l) {
        info.ifPresent(t -> t.constraints().stream()
                .filter(c -> c.kind() == ConstraintInfo.Kind.FOREIGN_KEY && c.refTable() != null && c.columns().contains(column))
                .forEach(c -> l.add(c.refTable(), ACCESS_EXCLUSIVE)));
        referencingColumns(schema, table, List.of(column)).forEach(r -> l.add(r, ACCESS_EXCLUSIVE));
    }

    /** Tables whose foreign keys reference {@code table} on any of {@code columns}. */
    private static List<QualifiedName> referencingColumns(SchemaModel schema, QualifiedName table, List<String> columns) {
        QualifiedName target = table.resolved();
        List<String> pk = schema.table(table).stream().flatMap(t -> t.constraints().stream())
                .filter(c -> c.kind() == ConstraintInfo.Kind.PRIMARY_KEY).findFirst()
                .map(ConstraintInfo::columns).orElse(List.of());
        List<QualifiedName> out = new ArrayList<>();
        for (TableInfo other : schema.referencing(table)) {
            for (ConstraintInfo c : other.constraints()) {
                if (c.kind() != ConstraintInfo.Kind.FOREIGN_KEY || c.refTable() == null || !c.refTable().resolved().equals(target)) continue;
                // ConstraintInfo does not keep the referenced columns: a foreign key references the
                // primary key unless it names other columns, and the model cannot tell which, so any
                // foreign key to the table counts when the column is part of its primary key or the
                // table has none recorded.
                if (pk.isEmpty() || columns.stream().anyMatch(pk::contains)) {
                    out.add(other.name());
                    break;
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ others

    private static void reindex(Change.Reindex ri, SchemaModel schema, Locks l) {
        // REINDEX: ShareLock on the table (and AccessExclusiveLock on each index being rebuilt, which
        // blocks queries that would use it); CONCURRENTLY (PG 12): ShareUpdateExclusiveLock.
        LockMode mode = ri.concurrently() ? SHARE_UPDATE_EXCLUSIVE : SHARE;
        switch (ri.kind()) {
            case "table" -> {
                l.add(ri.name(), mode);
                descendants(schema, ri.name()).forEach(p -> l.add(p, mode));
            }
            case "index" -> schema.index(ri.name()).map(IndexInfo::table).ifPresent(t -> l.add(t, mode));
            case "schema" -> {
                String s = ri.name().schema() != null ? ri.name().schema() : ri.name().name();
                schema.tables().stream().filter(t -> t.name().schema().equals(s)).forEach(t -> l.add(t.name(), mode));
            }
            default -> { } // DATABASE / SYSTEM: every table, which the model cannot enumerate reliably
        }
    }

    private static void alterDomain(Change.AlterDomain ad, SchemaModel schema, Locks l) {
        // ADD CONSTRAINT (without NOT VALID), VALIDATE CONSTRAINT and SET NOT NULL check every column
        // of the domain's type, holding ShareLock on each table that has one (PG15). NOT VALID and
        // the other actions only touch the catalog.
        boolean scans = switch (ad.action()) {
            case "add constraint" -> !ad.notValid();
            case "validate constraint", "set not null" -> true;
            default -> false;
        };
        if (!scans) return;
        for (QualifiedName t : tablesUsingType(schema, ad.name())) l.add(t, SHARE);
    }

    /**
     * Tables in the model with a column of type {@code type} (a domain or enum), by name. Public so
     * that the domain rules report scans on exactly the tables locked here.
     */
    public static List<QualifiedName> tablesUsingType(SchemaModel schema, QualifiedName type) {
        List<QualifiedName> out = new ArrayList<>();
        for (TableInfo t : schema.tables()) {
            boolean uses = t.columns().stream().anyMatch(c -> sameType(c.type().name(), type));
            if (uses) out.add(t.name());
        }
        return out;
    }

    private static boolean sameType(String columnType, QualifiedName type) {
        if (columnType == null) return false;
        String bare = columnType.contains(".") ? columnType.substring(columnType.lastIndexOf('.') + 1) : columnType;
        String schemaPart = columnType.contains(".") ? columnType.substring(0, columnType.lastIndexOf('.')) : null;
        if (!bare.equals(type.name())) return false;
        return schemaPart == null || type.schema() == null || schemaPart.equals(type.schema());
    }

    private static void comment(Change.Comment c, Locks l) {
        // COMMENT ON TABLE / VIEW / COLUMN: ShareUpdateExclusiveLock on the relation (PG15).
        // COMMENT ON CONSTRAINT takes only AccessShareLock on the table; on an index, a lock on
        // the index alone.
        List<String> parts = nameParts(c.target());
        if (parts.isEmpty()) return;
        switch (c.objectType()) {
            case "table", "view", "materialized view", "foreign table" -> l.add(toName(parts), SHARE_UPDATE_EXCLUSIVE);
            case "column" -> {
                if (parts.size() >= 2) l.add(toName(parts.subList(0, parts.size() - 1)), SHARE_UPDATE_EXCLUSIVE);
            }
            default -> { }
        }
    }

    private static QualifiedName toName(List<String> parts) {
        return parts.size() == 1 ? QualifiedName.of(parts.get(0))
                : QualifiedName.of(parts.get(parts.size() - 2), parts.get(parts.size() - 1));
    }

    /** Splits {@code s."My Table".col} into identifiers, folding unquoted ones to lower case. */
    static List<String> nameParts(String target) {
        List<String> parts = new ArrayList<>();
        if (target == null) return parts;
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        String t = target.strip();
        for (int i = 0; i < t.length(); i++) {
            char ch = t.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < t.length() && t.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
                wasQuoted = true;
            } else if (ch == '.') {
                parts.add(wasQuoted ? cur.toString() : cur.toString().strip().toLowerCase(Locale.ROOT));
                cur.setLength(0);
                wasQuoted = false;
            } else if (Character.isWhitespace(ch) && cur.isEmpty()) {
                // skip
            } else if (Character.isWhitespace(ch)) {
                break; // "IS '…'" or trailing words are not part of the name
            } else {
                cur.append(ch);
            }
        }
        if (!cur.isEmpty()) parts.add(wasQuoted ? cur.toString() : cur.toString().toLowerCase(Locale.ROOT));
        return parts;
    }

    /** The referenced table of a foreign key (a self-reference may omit the schema). */
    private static QualifiedName referenced(Constraint.ForeignKey fk, QualifiedName owner) {
        return fk.refTable() != null ? fk.refTable() : owner;
    }

    /**
     * Partitions of {@code table}, recursively (sub-partitions too), as the model knows them. Public
     * so that rules record rewrites and scans on exactly the partitions locked here.
     */
    public static List<QualifiedName> descendants(SchemaModel schema, QualifiedName table) {
        List<QualifiedName> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        seen.add(table.display());
        List<QualifiedName> queue = new ArrayList<>(List.of(table));
        for (int i = 0; i < queue.size(); i++) {
            for (TableInfo p : schema.partitionsOf(queue.get(i))) {
                if (seen.add(p.name().display())) {
                    out.add(p.name());
                    queue.add(p.name());
                }
            }
        }
        return out;
    }

    /** Strongest mode per table, in order of first mention. */
    private static final class Locks {
        private final Map<String, LockMode> modes = new LinkedHashMap<>();

        void add(QualifiedName table, LockMode mode) {
            if (table == null || mode == null) return;
            modes.merge(table.display(), mode, LockMode::stronger);
        }

        List<TableLock> list() {
            return modes.entrySet().stream().map(e -> new TableLock(e.getKey(), e.getValue())).toList();
        }
    }
}
