package dev.tandem.catalog;

/** {@code pg_class.relkind} values Tandem distinguishes. */
public enum RelationKind {
    TABLE,
    PARTITIONED_TABLE,
    VIEW,
    MATERIALIZED_VIEW,
    FOREIGN_TABLE
}
