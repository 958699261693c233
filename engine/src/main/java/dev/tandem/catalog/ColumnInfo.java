package dev.tandem.catalog;

import dev.tandem.sql.Expr;
import dev.tandem.sql.TypeName;

/**
 * A column as it exists: from the live catalog or from replaying migrations.
 *
 * @param type         the real type: serial columns appear as integer/bigint/smallint with a
 *                     {@code nextval(…)} default, as in {@code pg_attribute}
 * @param defaultValue {@code null} when none
 * @param identity     GENERATED … AS IDENTITY
 * @param generated    a generated column (stored or virtual)
 */
public record ColumnInfo(String name, TypeName type, boolean notNull, Expr defaultValue, boolean identity, boolean generated) {

    public ColumnInfo withType(TypeName t) {
        return new ColumnInfo(name, t, notNull, defaultValue, identity, generated);
    }

    public ColumnInfo withNotNull(boolean nn) {
        return new ColumnInfo(name, type, nn, defaultValue, identity, generated);
    }

    public ColumnInfo withDefault(Expr d) {
        return new ColumnInfo(name, type, notNull, d, identity, generated);
    }

    public ColumnInfo withName(String n) {
        return new ColumnInfo(n, type, notNull, defaultValue, identity, generated);
    }

    public ColumnInfo withIdentity(boolean id) {
        return new ColumnInfo(name, type, notNull, defaultValue, id, generated);
    }
}
