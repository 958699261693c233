package dev.tandem.sql;

import java.util.List;

/**
 * What one SQL statement does, as far as schema migrations are concerned: the typed result of
 * {@code SqlParser}. What the parser does not understand becomes {@link Opaque}, which the
 * classifier reports as {@code review} instead of guessing.
 *
 * <p>Names are normalised (unquoted identifiers lower-cased). Expressions, queries and bodies are
 * kept as text; Tandem never evaluates them.
 */
public sealed interface Change {

    // ---------------------------------------------------------------- tables

    /**
     * CREATE [UNLOGGED|TEMP] TABLE. {@code partitionOf} is set for {@code PARTITION OF parent …};
     * {@code asQuery} for CREATE TABLE … AS / SELECT INTO-style creation.
     *
     * @param partitionBy   the {@code PARTITION BY …} clause as written, or {@code null}
     * @param partitionOf   the parent for {@code CREATE TABLE p PARTITION OF parent}, or {@code null}
     * @param partitionBound the {@code FOR VALUES …}/{@code DEFAULT} clause, or {@code null}
     * @param inherits      parents named in {@code INHERITS (…)}
     * @param like          tables named in {@code LIKE …} elements
     * @param accessMethod  the {@code USING method} clause, or {@code null} (the default table access method)
     * @param tablespace    the {@code TABLESPACE name} clause, or {@code null} (default_tablespace, normally the
     *                      database's)
     */
    record CreateTable(
            QualifiedName name,
            boolean ifNotExists,
            boolean temporary,
            boolean unlogged,
            List<ColumnDef> columns,
            List<Constraint> constraints,
            String partitionBy,
            QualifiedName partitionOf,
            String partitionBound,
            List<QualifiedName> inherits,
            List<QualifiedName> like,
            String asQuery,
            String accessMethod,
            String tablespace)
            implements Change {
        public CreateTable {
            columns = List.copyOf(columns);
            constraints = List.copyOf(constraints);
            inherits = List.copyOf(inherits);
            like = List.copyOf(like);
        }
    }

    /** ALTER TABLE [IF EXISTS] [ONLY] name action [, …]. Also ALTER TABLE … RENAME / SET SCHEMA. */
    record AlterTable(QualifiedName table, boolean ifExists, boolean only, List<AlterAction> actions)
            implements Change {
        public AlterTable {
            actions = List.copyOf(actions);
        }
    }

    record DropTable(List<QualifiedName> tables, boolean ifExists, boolean cascade) implements Change {
        public DropTable {
            tables = List.copyOf(tables);
        }
    }

    record Truncate(List<QualifiedName> tables, boolean cascade) implements Change {
        public Truncate {
            tables = List.copyOf(tables);
        }
    }

    // ---------------------------------------------------------------- indexes

    /**
     * CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON [ONLY] table [USING method]
     * (elements) [INCLUDE (…)] [WHERE predicate].
     *
     * @param name     {@code null} when PostgreSQL generates one
     * @param elements index elements as written: column names (normalised) or expressions (text)
     * @param where    partial-index predicate, or {@code null}
     */
    record CreateIndex(
            QualifiedName name,
            QualifiedName table,
            boolean unique,
            boolean concurrently,
            boolean ifNotExists,
            boolean only,
            String method,
            List<String> elements,
            String where)
            implements Change {
        public CreateIndex {
            elements = List.copyOf(elements);
        }
    }

    record DropIndex(List<QualifiedName> indexes, boolean concurrently, boolean ifExists, boolean cascade)
            implements Change {
        public DropIndex {
            indexes = List.copyOf(indexes);
        }
    }

    /**
     * ALTER INDEX name RENAME TO / SET TABLESPACE / ATTACH PARTITION / SET (…) / ….
     *
     * @param action lower-case leading keywords of the action: {@code "rename"},
     *               {@code "set tablespace"}, {@code "attach partition"}, {@code "set"},
     *               {@code "reset"}, {@code "alter column"}, …
     * @param target the new name / tablespace / attached index, when the action has one
     */
    record AlterIndex(QualifiedName index, boolean ifExists, String action, String target) implements Change {}

    /**
     * REINDEX [(options)] INDEX|TABLE|SCHEMA|DATABASE|SYSTEM [CONCURRENTLY] name.
     *
     * @param kind lower-case: index, table, schema, database, system
     */
    record Reindex(String kind, QualifiedName name, boolean concurrently) implements Change {}

    // ---------------------------------------------------------------- views

    record CreateView(QualifiedName name, boolean materialized, boolean orReplace, boolean withData, String query)
            implements Change {}

    record DropView(List<QualifiedName> views, boolean materialized, boolean ifExists, boolean cascade)
            implements Change {
        public DropView {
            views = List.copyOf(views);
        }
    }

    /** ALTER [MATERIALIZED] VIEW name RENAME TO / RENAME COLUMN / SET SCHEMA / OWNER TO / …. */
    record AlterView(QualifiedName view, boolean materialized, String action, String target) implements Change {}

    record RefreshMaterializedView(QualifiedName view, boolean concurrently, boolean withData) implements Change {}

    // ---------------------------------------------------------------- triggers, functions, rules

    record CreateTrigger(String name, QualifiedName table, boolean orReplace, boolean constraint) implements Change {}

    record DropTrigger(String name, QualifiedName table, boolean ifExists) implements Change {}

    /** CREATE [OR REPLACE] FUNCTION / PROCEDURE; body kept as text. */
    record CreateFunction(QualifiedName name, boolean procedure, boolean orReplace, String language, String body)
            implements Change {}

    /** DROP FUNCTION / PROCEDURE / AGGREGATE. */
    record DropFunction(List<QualifiedName> names, boolean ifExists) implements Change {
        public DropFunction {
            names = List.copyOf(names);
        }
    }

    /** CREATE [OR REPLACE] RULE name AS ON event TO table. */
    record CreateRule(String name, QualifiedName table) implements Change {}

    // ---------------------------------------------------------------- types and domains

    /**
     * CREATE TYPE name AS ENUM (…) / AS (composite) / AS RANGE / shell.
     *
     * @param kind   lower-case: enum, composite, range, base, shell
     * @param values enum labels without quotes (empty for other kinds)
     */
    record CreateType(QualifiedName name, String kind, List<String> values) implements Change {
        public CreateType {
            values = List.copyOf(values);
        }
    }

    /**
     * ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'v' [BEFORE|AFTER 'w'] / RENAME VALUE 'a' TO 'b' /
     * RENAME TO / ADD ATTRIBUTE / ….
     *
     * @param action   lower-case: {@code "add value"}, {@code "rename value"}, {@code "rename"},
     *                 {@code "add attribute"}, {@code "drop attribute"}, {@code "alter attribute"},
     *                 {@code "owner"}, {@code "set schema"}, …
     * @param value    the new value / new name, or {@code null}
     * @param position for ADD VALUE: {@code "before 'x'"} / {@code "after 'x'"}, else {@code null};
     *                 for RENAME VALUE the old value
     */
    record AlterType(QualifiedName name, String action, String value, String position, boolean ifNotExists)
            implements Change {}

    record DropType(List<QualifiedName> names, boolean ifExists, boolean cascade) implements Change {
        public DropType {
            names = List.copyOf(names);
        }
    }

    /** CREATE DOMAIN name AS type [constraints]; {@code checks} are the CHECK expressions. */
    record CreateDomain(QualifiedName name, TypeName baseType, boolean notNull, List<Expr> checks) implements Change {
        public CreateDomain {
            checks = List.copyOf(checks);
        }
    }

    /**
     * ALTER DOMAIN name ADD CONSTRAINT … [NOT VALID] / VALIDATE CONSTRAINT / DROP CONSTRAINT /
     * SET NOT NULL / DROP NOT NULL / SET DEFAULT / ….
     *
     * @param action lower-case: {@code "add constraint"}, {@code "validate constraint"},
     *               {@code "drop constraint"}, {@code "set not null"}, {@code "drop not null"},
     *               {@code "set default"}, {@code "drop default"}, {@code "rename"}, {@code "owner"}, …
     */
    record AlterDomain(QualifiedName name, String action, boolean notValid) implements Change {}

    // ---------------------------------------------------------------- sequences, schemas, extensions

    /**
     * CREATE / ALTER / DROP SEQUENCE.
     *
     * @param verb lower-case: create, alter, drop
     */
    record SequenceChange(String verb, List<QualifiedName> names) implements Change {
        public SequenceChange {
            names = List.copyOf(names);
        }
    }

    record CreateSchema(String name, boolean ifNotExists) implements Change {}

    record DropSchema(List<String> names, boolean ifExists, boolean cascade) implements Change {
        public DropSchema {
            names = List.copyOf(names);
        }
    }

    /** ALTER SCHEMA name RENAME TO / OWNER TO. {@code newName} is null for OWNER TO. */
    record AlterSchema(String name, String action, String newName) implements Change {}

    /**
     * CREATE / ALTER / DROP EXTENSION.
     *
     * @param verb lower-case: create, alter, drop
     */
    record ExtensionChange(String verb, String name) implements Change {}

    /** DROP DATABASE / CREATE DATABASE / ALTER DATABASE: never belongs in an app migration. */
    record DatabaseChange(String verb, String name) implements Change {}

    // ---------------------------------------------------------------- data

    /**
     * UPDATE [ONLY] table [AS alias] SET … [FROM …] [WHERE …].
     *
     * @param set   the SET list as written
     * @param from  the FROM list as written, or {@code null}
     * @param where the WHERE condition as written, or {@code null} (a whole-table update);
     *              {@code WHERE CURRENT OF} is kept as written
     */
    record Update(QualifiedName table, String alias, String set, String from, String where) implements Change {}

    /** DELETE FROM [ONLY] table [USING …] [WHERE …]; {@code where} null means every row. */
    record Delete(QualifiedName table, String using, String where) implements Change {}

    /** INSERT INTO table … (VALUES or a query); {@code query} true for INSERT … SELECT. */
    record Insert(QualifiedName table, boolean query) implements Change {}

    /** MERGE INTO table USING …. */
    record Merge(QualifiedName table) implements Change {}

    /** COPY table [(cols)] FROM stdin/file, or COPY … TO. */
    record Copy(QualifiedName table, boolean from) implements Change {}

    /** A plain query (SELECT, VALUES, TABLE, WITH … SELECT, SHOW, EXPLAIN) kept as text. */
    record Query(String text, Expr calls) implements Change {}

    // ---------------------------------------------------------------- maintenance and locking

    /**
     * VACUUM [FULL] [(options)] [tables] / ANALYZE [tables].
     *
     * @param analyzeOnly true for a plain ANALYZE statement
     */
    record Vacuum(List<QualifiedName> tables, boolean full, boolean analyzeOnly) implements Change {
        public Vacuum {
            tables = List.copyOf(tables);
        }
    }

    /** CLUSTER [table [USING index]]; {@code table} null for a database-wide CLUSTER. */
    record Cluster(QualifiedName table, String index) implements Change {}

    record LockTable(List<QualifiedName> tables, LockMode mode, boolean nowait) implements Change {
        public LockTable {
            tables = List.copyOf(tables);
        }
    }

    // ---------------------------------------------------------------- session and transactions

    /**
     * BEGIN / START TRANSACTION / COMMIT / END / ROLLBACK / ABORT / SAVEPOINT / RELEASE /
     * ROLLBACK TO / PREPARE TRANSACTION / COMMIT PREPARED.
     */
    record Transaction(TransactionKind kind) implements Change {}

    enum TransactionKind { BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE, ROLLBACK_TO, PREPARE, OTHER }

    /**
     * SET [LOCAL|SESSION] name = value / SET name TO value / RESET name / SET TIME ZONE ….
     *
     * @param name  lower-case parameter name ({@code lock_timeout}, {@code search_path}, {@code timezone})
     * @param value the value as written, quotes removed; {@code null} for RESET / DEFAULT
     */
    record SetParameter(String name, String value, boolean local) implements Change {}

    // ---------------------------------------------------------------- other DDL

    /** COMMENT ON objectType target IS …; {@code objectType} lower-case (table, column, index, …). */
    record Comment(String objectType, String target) implements Change {}

    /** GRANT / REVOKE / ALTER DEFAULT PRIVILEGES / CREATE|ALTER|DROP ROLE|USER / REASSIGN / SECURITY LABEL. */
    record Privileges(String text) implements Change {}

    /**
     * CREATE / ALTER / DROP of an object kind Tandem has no specific model for but knows takes no
     * lock on user tables that matters (collation, text search config, policy, publication,
     * subscription, statistics, cast, operator, aggregate, server, …).
     *
     * @param verb       lower-case: create, alter, drop
     * @param objectKind lower-case object kind, e.g. {@code "policy"}, {@code "statistics"}
     * @param table      the table the object is on, when it has one (a policy, statistics), else null
     */
    record OtherDdl(String verb, String objectKind, QualifiedName table) implements Change {}

    /** DO [LANGUAGE l] $$ body $$: code Tandem does not execute statically. */
    record DoBlock(String language, String body) implements Change {}

    /** CALL procedure(…). */
    record Call(QualifiedName procedure) implements Change {}

    /**
     * A statement Tandem does not understand well enough to classify (valid-looking PostgreSQL of a
     * form the parser does not model). Classified {@code review}, never guessed.
     *
     * @param reason why it is opaque, for the finding's message
     */
    record Opaque(String reason) implements Change {}
}
