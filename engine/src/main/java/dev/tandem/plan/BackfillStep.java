package dev.tandem.plan;

import java.util.List;
import java.util.Objects;

/**
 * A data change run as a batched backfill instead of one statement: for every row of
 * {@code table} that matches {@code where}, {@code UPDATE table SET <set>}, walking the table in
 * {@code key} order in short transactions (keyset batches: {@code key > last key of the previous
 * batch}). The backfill engine throttles the batches, and commits its checkpoint (the last key) in
 * the same transaction as each batch, so a resumed backfill updates no row twice.
 *
 * <p>It stands for a statement that would have changed every row in one transaction, holding
 * every row lock until commit (issue 3: whole-table UPDATE). Rows inserted while it runs are not
 * visited once the walk has passed their key, as they would not have been by the original
 * statement either.
 *
 * @param table        the table as SQL (quoted where needed), as the migration named it
 * @param key          the columns of a primary key or of a unique key on NOT NULL columns, in
 *                     index order: what the batches walk
 * @param operation    {@link Operation#UPDATE} (apply {@code set}) or {@link Operation#DELETE}
 *                     (delete the matching rows, batch by batch; {@code set} is {@code null})
 * @param set          the SET list as written ({@code "full_name = name"}); never assigns a key
 *                     column; {@code null} for a delete
 * @param where        the row filter as written, or {@code null} for every row
 * @param irreversible {@code null} when there is nothing to undo (every column it sets is added by
 *                     this release, whose rollback drops it), else why the old values cannot be
 *                     restored
 */
public record BackfillStep(
        String migration,
        int line,
        String purpose,
        String table,
        List<String> key,
        Operation operation,
        String set,
        String where,
        String irreversible)
        implements Step {

    public BackfillStep {
        Objects.requireNonNull(migration, "migration");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(operation, "operation");
        if ((set == null) != (operation == Operation.DELETE)) {
            throw new IllegalArgumentException("an UPDATE backfill has a SET list, a DELETE backfill none: " + table);
        }
        key = List.copyOf(key);
        if (key.isEmpty()) throw new IllegalArgumentException("a backfill needs a key to walk: " + table);
    }

    /** What each batch does to the rows it selects. */
    public enum Operation {
        UPDATE("update"),
        DELETE("delete");

        private final String id;

        Operation(String id) {
            this.id = id;
        }

        /** The name used in JSON ({@code "operation": "update"}). */
        public String id() {
            return id;
        }
    }
}
