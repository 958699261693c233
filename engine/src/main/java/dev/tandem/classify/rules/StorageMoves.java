package dev.tandem.classify.rules;

import dev.tandem.catalog.TableInfo;
import dev.tandem.sql.AlterAction;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether SET TABLESPACE / SET ACCESS METHOD gives a table new storage. PostgreSQL returns early,
 * after taking the AccessExclusiveLock, when the table is already where it is asked to go
 * (PG15 {@code ATExecSetTableSpace}: same tablespace, or the database's default named for a
 * table in it; {@code ATPrepSetAccessMethod}: same access method), so such a statement copies
 * nothing. A table the model does not know is assumed to move. A table created without
 * TABLESPACE or USING counts as being in {@code pg_default} and {@code heap}: the database's
 * default tablespace and default_table_access_method unless someone changed them (a live
 * catalog names both).
 */
final class StorageMoves {
    private static final String DEFAULT_TABLESPACE = "pg_default";
    private static final String DEFAULT_ACCESS_METHOD = "heap";

    private StorageMoves() {}

    /** Whether the table's data files are copied (a partitioned table has none: only its default for new partitions changes). */
    static boolean moves(Optional<TableInfo> table, AlterAction.SetTablespace to) {
        if (table.isEmpty()) return true;
        if (table.get().isPartitioned()) return false;
        return !Objects.equals(orDefault(table.get().tablespace(), DEFAULT_TABLESPACE), to.tablespace());
    }

    /** Whether the table is rewritten with another access method ({@code DEFAULT}, PostgreSQL 17: the default one). */
    static boolean rewrites(Optional<TableInfo> table, AlterAction.SetAccessMethod to) {
        if (table.isEmpty()) return true;
        String target = to.method().equals("default") ? DEFAULT_ACCESS_METHOD : to.method();
        return !Objects.equals(orDefault(table.get().accessMethod(), DEFAULT_ACCESS_METHOD), target);
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
