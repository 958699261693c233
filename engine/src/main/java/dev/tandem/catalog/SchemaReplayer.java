package dev.tandem.catalog;

import dev.tandem.sql.Change;

/**
 * Applies a statement's effect to a {@link SchemaModel}, so that the next statement is judged
 * against the schema it will meet. Offline replay of earlier migrations uses it, and so does the
 * classifier after each statement. Pure bookkeeping: it never fails on objects it does not know
 * (the offline model is partial).
 */
public final class SchemaReplayer {

    public void apply(Change change, SchemaModel schema) {
        throw new UnsupportedOperationException("not yet written");
    }
}
