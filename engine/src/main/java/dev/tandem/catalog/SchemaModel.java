package dev.tandem.catalog;

import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The schema a statement will meet: tables with columns, constraints (with their validated state)
 * and indexes, enum types. Built either by replaying earlier migrations offline
 * ({@code SchemaReplayer}) or from a live database's catalog ({@code LiveCatalogReader}, which also
 * fills table sizes). All names are resolved ({@code public} filled in).
 *
 * <p>An offline model is incomplete by nature: a table the migrations never created may still
 * exist in production. Rules therefore treat a table missing from the model as existing and
 * populated, and only use the model to sharpen verdicts (varchar(100) → varchar(200) is a widening).
 */
public final class SchemaModel {
    private final Map<String, TableInfo> tables = new LinkedHashMap<>();
    private final Map<String, IndexInfo> indexes = new LinkedHashMap<>();
    /** The same indexes keyed by their table ({@code schema.name}): lock and rule look-ups per table. */
    private final Map<String, Map<String, IndexInfo>> indexesByTable = new LinkedHashMap<>();
    private final Map<String, List<String>> enumTypes = new LinkedHashMap<>();
    private final boolean live;

    private SchemaModel(boolean live) {
        this.live = live;
    }

    /** An empty model for offline replay. */
    public static SchemaModel offline() {
        return new SchemaModel(false);
    }

    /** An empty model to be filled from a live catalog. */
    public static SchemaModel live() {
        return new SchemaModel(true);
    }

    /**
     * An independent copy of the model. The classifier replays every statement into the model it
     * is given, and so does the planner: each needs the schema as it was before the release.
     */
    public SchemaModel copy() {
        SchemaModel m = new SchemaModel(live);
        tables.forEach((k, t) -> m.tables.put(k, t.copy()));
        // IndexInfo is immutable: the maps are copied, the entries shared
        m.indexes.putAll(indexes);
        indexesByTable.forEach((k, own) -> m.indexesByTable.put(k, new LinkedHashMap<>(own)));
        m.enumTypes.putAll(enumTypes);
        return m;
    }

    /** Whether the model came from a real database (then it is complete and has sizes). */
    public boolean isLive() {
        return live;
    }

    private static String key(QualifiedName n) {
        return n.display();
    }

    public Optional<TableInfo> table(QualifiedName name) {
        return Optional.ofNullable(tables.get(key(name)));
    }

    public List<TableInfo> tables() {
        return List.copyOf(tables.values());
    }

    public void putTable(TableInfo table) {
        tables.put(key(table.name()), table);
    }

    public void removeTable(QualifiedName name) {
        tables.remove(key(name));
        Map<String, IndexInfo> own = indexesByTable.remove(key(name));
        if (own != null) indexes.keySet().removeAll(own.keySet());
    }

    /** Renames a table and re-points its indexes and the foreign keys that reference it. */
    public void renameTable(QualifiedName from, QualifiedName to) {
        TableInfo t = tables.remove(key(from));
        if (t == null) return;
        QualifiedName oldName = t.name();
        t.rename(to);
        tables.put(key(t.name()), t);
        Map<String, IndexInfo> own = indexesByTable.remove(key(oldName));
        if (own != null) {
            for (IndexInfo i : new ArrayList<>(own.values())) {
                putIndex(new IndexInfo(i.name(), t.name(), i.unique(), i.primary(), i.valid(), i.elements(), i.where()));
            }
        }
        for (TableInfo other : tables.values()) {
            for (ConstraintInfo c : other.constraints()) {
                if (c.refTable() != null && c.refTable().resolved().equals(oldName)) {
                    other.replaceConstraint(c.name(), new ConstraintInfo(
                            c.name(), c.kind(), c.columns(), c.check(), t.name(), c.validated(), c.index()));
                }
            }
        }
    }

    public Optional<IndexInfo> index(QualifiedName name) {
        return Optional.ofNullable(indexes.get(key(name)));
    }

    public List<IndexInfo> indexesOn(QualifiedName table) {
        Map<String, IndexInfo> own = indexesByTable.get(key(table));
        return own == null ? List.of() : List.copyOf(own.values());
    }

    public void putIndex(IndexInfo index) {
        String k = key(index.name());
        removeIndex(index.name());
        indexes.put(k, index);
        indexesByTable.computeIfAbsent(key(index.table()), t -> new LinkedHashMap<>()).put(k, index);
    }

    public void removeIndex(QualifiedName name) {
        IndexInfo old = indexes.remove(key(name));
        if (old == null) return;
        Map<String, IndexInfo> own = indexesByTable.get(key(old.table()));
        if (own != null) {
            own.remove(key(name));
            if (own.isEmpty()) indexesByTable.remove(key(old.table()));
        }
    }

    /** Tables with a foreign key that references {@code table}. */
    public List<TableInfo> referencing(QualifiedName table) {
        QualifiedName t = table.resolved();
        return tables.values().stream()
                .filter(o -> o.constraints().stream().anyMatch(c -> c.kind() == ConstraintInfo.Kind.FOREIGN_KEY
                        && c.refTable() != null && c.refTable().resolved().equals(t)))
                .toList();
    }

    /** The parent's DEFAULT partition, when the model knows one. */
    public Optional<TableInfo> defaultPartitionOf(QualifiedName parent) {
        return partitionsOf(parent).stream()
                .filter(p -> TableInfo.isDefaultBound(p.partitionBound()))
                .findFirst();
    }

    /** Partitions attached to (or created as partitions of) {@code parent}. */
    public List<TableInfo> partitionsOf(QualifiedName parent) {
        // Only a partitioned table has partitions: skip the scan for every other table (the
        // common case, asked for by each ALTER TABLE's lock analysis).
        TableInfo known = tables.get(key(parent));
        if (known != null && !known.isPartitioned()) return List.of();
        QualifiedName p = parent.resolved();
        return tables.values().stream().filter(o -> p.equals(o.partitionOf())).toList();
    }

    public Optional<List<String>> enumType(QualifiedName name) {
        return Optional.ofNullable(enumTypes.get(key(name)));
    }

    public void putEnumType(QualifiedName name, List<String> values) {
        enumTypes.put(key(name), List.copyOf(values));
    }

    public void removeEnumType(QualifiedName name) {
        enumTypes.remove(key(name));
    }
}
