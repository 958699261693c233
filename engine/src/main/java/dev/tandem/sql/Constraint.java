package dev.tandem.sql;

import java.util.List;

/**
 * A table constraint, written as a table constraint ({@code ADD CONSTRAINT …}, a CREATE TABLE
 * element) or inline on a column (then {@code columns} holds that one column).
 * {@code name} is {@code null} when PostgreSQL will generate one.
 */
public sealed interface Constraint {
    String name();

    /** Columns the constraint is on (for CHECK: empty; for a NOT NULL constraint: the column). */
    List<String> columns();

    /** {@code NOT VALID} was written (CHECK, FOREIGN KEY and, on PG 18, NOT NULL accept it). */
    default boolean notValid() {
        return false;
    }

    record Check(String name, Expr expression, boolean notValid, boolean noInherit) implements Constraint {
        @Override
        public List<String> columns() {
            return List.of();
        }
    }

    /**
     * UNIQUE (cols) or UNIQUE USING INDEX idx.
     *
     * @param usingIndex the index adopted by {@code USING INDEX}, or {@code null}
     */
    record Unique(String name, List<String> columns, String usingIndex, boolean nullsNotDistinct)
            implements Constraint {
        public Unique {
            columns = List.copyOf(columns);
        }
    }

    /** PRIMARY KEY (cols) or PRIMARY KEY USING INDEX idx (then {@code columns} is empty). */
    record PrimaryKey(String name, List<String> columns, String usingIndex) implements Constraint {
        public PrimaryKey {
            columns = List.copyOf(columns);
        }
    }

    /**
     * FOREIGN KEY (cols) REFERENCES refTable (refColumns).
     *
     * @param refColumns empty when the primary key of {@code refTable} is meant
     * @param onDelete   the ON DELETE action as written ({@code "cascade"}, …) or {@code null}
     */
    record ForeignKey(
            String name,
            List<String> columns,
            QualifiedName refTable,
            List<String> refColumns,
            String onDelete,
            boolean notValid)
            implements Constraint {
        public ForeignKey {
            columns = List.copyOf(columns);
            refColumns = List.copyOf(refColumns);
        }
    }

    /** EXCLUDE USING method (…): kept as text; it has neither NOT VALID nor USING INDEX. */
    record Exclusion(String name, String definition) implements Constraint {
        @Override
        public List<String> columns() {
            return List.of();
        }
    }

    /** PG 18 {@code ADD CONSTRAINT name NOT NULL col [NOT VALID]}. */
    record NotNull(String name, String column, boolean notValid) implements Constraint {
        @Override
        public List<String> columns() {
            return List.of(column);
        }
    }
}
