package dev.tandem.catalog;

import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A table, partitioned table, view or materialized view as it exists. Mutable: the
 * {@code SchemaReplayer} changes it statement by statement; rules only read it.
 */
public final class TableInfo {
    private QualifiedName name;
    private final RelationKind kind;
    private final LinkedHashMap<String, ColumnInfo> columns = new LinkedHashMap<>();
    private final List<ConstraintInfo> constraints = new ArrayList<>();
    private QualifiedName partitionOf;
    /** {@code FOR VALUES …} or {@code DEFAULT} as written (offline) or as pg_get_expr prints it (live). */
    private String partitionBound;
    /** The table access method; {@code null}: the default one (default_table_access_method, normally heap). */
    private String accessMethod;
    /** The tablespace; {@code null}: the database's default one (normally pg_default). */
    private String tablespace;
    private boolean unlogged;
    /** From the live catalog ({@code pg_class.reltuples}); {@code null} offline. */
    private Long estimatedRows;
    /** From the live catalog ({@code pg_total_relation_size}); {@code null} offline. */
    private Long totalBytes;

    public TableInfo(QualifiedName name, RelationKind kind) {
        this.name = name.resolved();
        this.kind = kind;
    }

    public QualifiedName name() {
        return name;
    }

    public void rename(QualifiedName newName) {
        this.name = newName.resolved();
    }

    public RelationKind kind() {
        return kind;
    }

    public boolean isPartitioned() {
        return kind == RelationKind.PARTITIONED_TABLE;
    }

    public Optional<ColumnInfo> column(String column) {
        return Optional.ofNullable(columns.get(column));
    }

    public List<ColumnInfo> columns() {
        return List.copyOf(columns.values());
    }

    /** Adds or replaces a column, keeping its position when it exists. */
    public void putColumn(ColumnInfo column) {
        columns.put(column.name(), column);
    }

    public void removeColumn(String column) {
        columns.remove(column);
    }

    /** Renames a column in place, keeping its position. */
    public void renameColumn(String from, String to) {
        if (!columns.containsKey(from)) return;
        LinkedHashMap<String, ColumnInfo> copy = new LinkedHashMap<>(columns);
        columns.clear();
        for (Map.Entry<String, ColumnInfo> e : copy.entrySet()) {
            if (e.getKey().equals(from)) columns.put(to, e.getValue().withName(to));
            else columns.put(e.getKey(), e.getValue());
        }
    }

    public List<ConstraintInfo> constraints() {
        return List.copyOf(constraints);
    }

    public Optional<ConstraintInfo> constraint(String constraintName) {
        return constraints.stream().filter(c -> c.name() != null && c.name().equals(constraintName)).findFirst();
    }

    public void addConstraint(ConstraintInfo c) {
        constraints.add(c);
    }

    public void removeConstraint(String constraintName) {
        constraints.removeIf(c -> c.name() != null && c.name().equals(constraintName));
    }

    public void replaceConstraint(String constraintName, ConstraintInfo replacement) {
        for (int i = 0; i < constraints.size(); i++) {
            if (constraintName.equals(constraints.get(i).name())) {
                constraints.set(i, replacement);
                return;
            }
        }
    }

    public QualifiedName partitionOf() {
        return partitionOf;
    }

    public void setPartitionOf(QualifiedName parent) {
        this.partitionOf = parent == null ? null : parent.resolved();
    }

    /** The partition bound while a partition ({@code FOR VALUES …} or {@code DEFAULT}); {@code null} when unknown. */
    public String partitionBound() {
        return partitionBound;
    }

    public void setPartitionBound(String bound) {
        this.partitionBound = bound;
    }

    /** Whether a partition bound ({@code FOR VALUES …} or {@code DEFAULT}) is the DEFAULT one. */
    public static boolean isDefaultBound(String bound) {
        return bound != null && bound.strip().equalsIgnoreCase("default");
    }

    /** The access method, {@code null} for the default (offline: a table created without USING). */
    public String accessMethod() {
        return accessMethod;
    }

    public void setAccessMethod(String accessMethod) {
        this.accessMethod = accessMethod;
    }

    /** The tablespace, {@code null} for the database's default (offline: created without TABLESPACE). */
    public String tablespace() {
        return tablespace;
    }

    public void setTablespace(String tablespace) {
        this.tablespace = tablespace;
    }

    public boolean unlogged() {
        return unlogged;
    }

    public void setUnlogged(boolean unlogged) {
        this.unlogged = unlogged;
    }

    public Optional<Long> estimatedRows() {
        return Optional.ofNullable(estimatedRows);
    }

    public Optional<Long> totalBytes() {
        return Optional.ofNullable(totalBytes);
    }

    public void setStatistics(Long estimatedRows, Long totalBytes) {
        this.estimatedRows = estimatedRows;
        this.totalBytes = totalBytes;
    }

    /** An independent copy: changing one never changes the other (columns and constraints are immutable records). */
    public TableInfo copy() {
        TableInfo t = new TableInfo(name, kind);
        t.columns.putAll(columns);
        t.constraints.addAll(constraints);
        t.partitionOf = partitionOf;
        t.partitionBound = partitionBound;
        t.accessMethod = accessMethod;
        t.tablespace = tablespace;
        t.unlogged = unlogged;
        t.estimatedRows = estimatedRows;
        t.totalBytes = totalBytes;
        return t;
    }
}
