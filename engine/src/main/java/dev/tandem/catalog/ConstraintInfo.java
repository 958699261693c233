package dev.tandem.catalog;

import dev.tandem.sql.Expr;
import dev.tandem.sql.QualifiedName;
import java.util.List;

/**
 * A table constraint as it exists.
 *
 * @param kind      CHECK, UNIQUE, PRIMARY_KEY, FOREIGN_KEY, EXCLUSION, NOT_NULL (PG 18 catalogued
 *                  NOT NULL constraints)
 * @param check     the CHECK expression, else {@code null}
 * @param refTable  the referenced table of a FOREIGN KEY, else {@code null}
 * @param validated {@code pg_constraint.convalidated}: false after {@code NOT VALID} until
 *                  {@code VALIDATE CONSTRAINT}
 * @param index     the index backing a UNIQUE / PRIMARY KEY / EXCLUSION constraint, if known
 */
public record ConstraintInfo(
        String name, Kind kind, List<String> columns, Expr check, QualifiedName refTable, boolean validated, String index) {
    public ConstraintInfo {
        columns = List.copyOf(columns);
    }

    public enum Kind { CHECK, UNIQUE, PRIMARY_KEY, FOREIGN_KEY, EXCLUSION, NOT_NULL }

    public ConstraintInfo validatedNow() {
        return new ConstraintInfo(name, kind, columns, check, refTable, true, index);
    }
}
