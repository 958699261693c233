package dev.tandem.sql;

/**
 * A possibly schema-qualified object name, with identifiers already normalised the way PostgreSQL
 * does it: unquoted identifiers folded to lower case, quoted ones kept exactly.
 *
 * @param schema {@code null} when the name was not qualified (resolved against {@code public})
 * @param name   the object name
 */
public record QualifiedName(String schema, String name) {
    public static final String DEFAULT_SCHEMA = "public";

    public static QualifiedName of(String name) {
        return new QualifiedName(null, name);
    }

    public static QualifiedName of(String schema, String name) {
        return new QualifiedName(schema, name);
    }

    /** The same name with the schema filled in: {@code public} when none was written. */
    public QualifiedName resolved() {
        return schema != null ? this : new QualifiedName(DEFAULT_SCHEMA, name);
    }

    /** {@code schema.name} with the default schema filled in: the form used in plans and locks. */
    public String display() {
        QualifiedName r = resolved();
        return r.schema + "." + r.name;
    }

    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }
}
