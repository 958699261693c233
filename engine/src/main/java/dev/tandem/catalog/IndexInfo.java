package dev.tandem.catalog;

import dev.tandem.sql.QualifiedName;
import java.util.List;
import java.util.Objects;

/**
 * An index as it exists.
 *
 * @param valid      {@code pg_index.indisvalid}: false for an index left INVALID by a failed
 *                   CONCURRENTLY build, or created {@code ON ONLY} a partitioned table
 * @param elements   columns or expressions, as text
 * @param where      partial-index predicate, or {@code null}
 * @param definition the whole {@code CREATE INDEX} statement ({@code pg_get_indexdef}: method,
 *                   opclasses, collations, ordering, INCLUDE, WITH, TABLESPACE, WHERE), or
 *                   {@code null} when not known (offline replay, where the statement's text is not
 *                   kept). A rendering of the index, not an identity of its own: it takes no part
 *                   in {@link #equals}, so the same index read with and without it compares equal.
 */
public record IndexInfo(
        QualifiedName name, QualifiedName table, boolean unique, boolean primary, boolean valid, List<String> elements, String where,
        String definition) {
    public IndexInfo {
        elements = List.copyOf(elements);
    }

    /** An index whose full definition is not known. */
    public IndexInfo(
            QualifiedName name, QualifiedName table, boolean unique, boolean primary, boolean valid, List<String> elements, String where) {
        this(name, table, unique, primary, valid, elements, where, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IndexInfo i && unique == i.unique && primary == i.primary && valid == i.valid
                && Objects.equals(name, i.name) && Objects.equals(table, i.table) && elements.equals(i.elements)
                && Objects.equals(where, i.where);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, table, unique, primary, valid, elements, where);
    }
}
