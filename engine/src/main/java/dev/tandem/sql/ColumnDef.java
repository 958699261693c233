package dev.tandem.sql;

import java.util.List;

/**
 * A column definition in CREATE TABLE or ALTER TABLE … ADD COLUMN.
 *
 * @param name         normalised column name
 * @param type         the declared type ({@code serial}/{@code bigserial} stay as written, so rules
 *                     can see them; PostgreSQL turns them into integer + sequence default)
 * @param notNull      {@code NOT NULL} written inline (a {@code PRIMARY KEY} implies it too, see
 *                     {@link #impliesNotNull()})
 * @param defaultValue {@code DEFAULT …}, or {@code null}
 * @param generated    {@code GENERATED ALWAYS AS (…) [STORED|VIRTUAL]}, or {@code null}
 * @param identity     {@code GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY}, or {@code null}
 * @param constraints  inline CHECK / UNIQUE / PRIMARY KEY / REFERENCES, each with
 *                     {@code columns = [name]}
 * @param collation    {@code COLLATE …}, or {@code null}
 */
public record ColumnDef(
        String name,
        TypeName type,
        boolean notNull,
        Expr defaultValue,
        Generated generated,
        Identity identity,
        List<Constraint> constraints,
        String collation) {
    public ColumnDef {
        constraints = List.copyOf(constraints);
    }

    /**
     * A generated column. {@code stored} is false for PG 18's VIRTUAL columns (the default kind
     * on 18 when neither STORED nor VIRTUAL is written), which never rewrite a table.
     */
    public record Generated(Expr expression, boolean stored) {}

    /** An identity column; {@code always} for GENERATED ALWAYS, false for BY DEFAULT. */
    public record Identity(boolean always) {}

    public boolean isSerial() {
        return switch (type.name()) {
            case "smallserial", "serial", "bigserial" -> true;
            default -> false;
        };
    }

    public boolean impliesNotNull() {
        return notNull || identity != null
                || constraints.stream().anyMatch(c -> c instanceof Constraint.PrimaryKey);
    }
}
