package dev.tandem.catalog;

import dev.tandem.sql.QualifiedName;
import java.util.List;

/**
 * An index as it exists.
 *
 * @param valid    {@code pg_index.indisvalid}: false for an index left INVALID by a failed
 *                 CONCURRENTLY build, or created {@code ON ONLY} a partitioned table
 * @param elements columns or expressions, as text
 * @param where    partial-index predicate, or {@code null}
 */
public record IndexInfo(
        QualifiedName name, QualifiedName table, boolean unique, boolean primary, boolean valid, List<String> elements, String where) {
    public IndexInfo {
        elements = List.copyOf(elements);
    }
}
