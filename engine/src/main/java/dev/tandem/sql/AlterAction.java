package dev.tandem.sql;

import java.util.Map;

/**
 * One subcommand of {@code ALTER TABLE} (several may be combined with commas). Column and
 * constraint names are normalised like {@link QualifiedName} parts.
 */
public sealed interface AlterAction {

    record AddColumn(ColumnDef column, boolean ifNotExists) implements AlterAction {}

    record DropColumn(String column, boolean ifExists, boolean cascade) implements AlterAction {}

    /** {@code ALTER COLUMN c [SET DATA] TYPE t [COLLATE x] [USING expr]}; {@code using} may be null. */
    record AlterColumnType(String column, TypeName type, String collation, Expr using) implements AlterAction {}

    record SetNotNull(String column) implements AlterAction {}

    record DropNotNull(String column) implements AlterAction {}

    record SetDefault(String column, Expr value) implements AlterAction {}

    record DropDefault(String column) implements AlterAction {}

    /** {@code ALTER COLUMN c ADD GENERATED … AS IDENTITY}. */
    record AddIdentity(String column, boolean always) implements AlterAction {}

    /** {@code ALTER COLUMN c DROP IDENTITY}, {@code SET GENERATED …}, {@code RESTART …}. */
    record AlterIdentity(String column, String text) implements AlterAction {}

    /** {@code ALTER COLUMN c DROP EXPRESSION} (stored generated → plain column). */
    record DropExpression(String column) implements AlterAction {}

    /**
     * Per-column settings that take ShareUpdateExclusiveLock or less and never rewrite:
     * {@code SET STATISTICS}, {@code SET (n_distinct = …)}, {@code RESET (…)}, {@code SET STORAGE},
     * {@code SET COMPRESSION}.
     *
     * @param option lower-case keyword: {@code statistics}, {@code options}, {@code storage},
     *               {@code compression}
     */
    record AlterColumnOption(String column, String option, String text) implements AlterAction {}

    record AddConstraint(Constraint constraint) implements AlterAction {}

    record ValidateConstraint(String name) implements AlterAction {}

    record DropConstraint(String name, boolean ifExists, boolean cascade) implements AlterAction {}

    record RenameConstraint(String from, String to) implements AlterAction {}

    record RenameColumn(String from, String to) implements AlterAction {}

    /** {@code ALTER TABLE t RENAME TO n}: the new name is in t's schema. */
    record RenameTable(String newName) implements AlterAction {}

    record SetSchema(String schema) implements AlterAction {}

    record SetLogged() implements AlterAction {}

    record SetUnlogged() implements AlterAction {}

    record SetTablespace(String tablespace) implements AlterAction {}

    record SetAccessMethod(String method) implements AlterAction {}

    /**
     * {@code SET (fillfactor = 70, autovacuum_enabled = false)} or {@code RESET (…)}; keys lower-case,
     * values as written without quotes ({@code null} for RESET).
     */
    record SetStorageParameters(Map<String, String> parameters, boolean reset) implements AlterAction {
        public SetStorageParameters {
            parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        }
    }

    /** {@code ATTACH PARTITION p FOR VALUES …} or {@code … DEFAULT}; {@code bound} as written. */
    record AttachPartition(QualifiedName partition, String bound) implements AlterAction {}

    record DetachPartition(QualifiedName partition, boolean concurrently, boolean finalizeDetach) implements AlterAction {}

    /**
     * {@code ENABLE/DISABLE [REPLICA|ALWAYS] TRIGGER name|ALL|USER}.
     *
     * @param trigger the trigger name, or {@code "all"} / {@code "user"}
     */
    record ToggleTrigger(boolean enable, String trigger) implements AlterAction {}

    /** {@code ENABLE/DISABLE [REPLICA|ALWAYS] RULE name}. */
    record ToggleRule(boolean enable, String rule) implements AlterAction {}

    /** {@code REPLICA IDENTITY DEFAULT|FULL|NOTHING|USING INDEX idx}, as written lower-case. */
    record ReplicaIdentity(String identity) implements AlterAction {}

    /** {@code [ENABLE|DISABLE|FORCE|NO FORCE] ROW LEVEL SECURITY}. */
    record RowLevelSecurity(String text) implements AlterAction {}

    record ClusterOn(String index) implements AlterAction {}

    record SetWithoutCluster() implements AlterAction {}

    /** {@code INHERIT parent} / {@code NO INHERIT parent}. */
    record Inherit(QualifiedName parent, boolean inherit) implements AlterAction {}

    record OwnerTo(String owner) implements AlterAction {}

    /** {@code SET WITHOUT OIDS} and similar no-ops kept for completeness. */
    record NoOp(String text) implements AlterAction {}
}
