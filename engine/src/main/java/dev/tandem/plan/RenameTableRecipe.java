package dev.tandem.plan;

import dev.tandem.catalog.RelationKind;
import dev.tandem.catalog.TableInfo;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.LockMode;
import dev.tandem.sql.QualifiedName;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ALTER TABLE a RENAME TO b} and {@code ALTER TABLE a SET SCHEMA s}: the table gets its new
 * name in expand, and its old name stays as a view over it until contract, so that both app
 * versions work in the window: the new one on the table, the old one through the view.
 *
 * <p>Expand is one transaction, {@code ALTER TABLE a RENAME TO b; CREATE VIEW a AS SELECT * FROM b;}
 * plus the table's privileges copied to the view, so that no other session ever sees the old name
 * missing (the rename's AccessExclusiveLock is held until the view exists). Verified on PostgreSQL
 * 15.20: {@code SELECT * FROM b} over a table or a partitioned table is automatically updatable; an
 * INSERT through it that omits columns, or writes DEFAULT (multi-row VALUES too), gets the table's
 * defaults (serial, now(), literals); INSERT … RETURNING, INSERT … ON CONFLICT (cols) DO UPDATE /
 * DO NOTHING, UPDATE, DELETE and SELECT … FOR UPDATE work; the table's triggers and constraints
 * apply. What a view cannot serve: COPY to or from it, TRUNCATE, system columns (ctid, xmin) and
 * {@code ON CONFLICT ON CONSTRAINT name} ("constraint … for table a does not exist").
 *
 * <p>Privileges: the view is new, so it has only its owner's. On PostgreSQL 15+ it is created
 * {@code WITH (security_invoker = true)}: the table's privileges and row-level security policies
 * are checked for the app's own role, as they were (verified: a definer view owned by the table
 * owner shows an app role every row despite the table's policy; the invoker view only its own). So
 * the view must carry the table's privileges too: a DO block in the same transaction grants on the
 * view what {@code pg_class.relacl} and {@code pg_attribute.attacl} grant on the table. Before 15
 * there is no security_invoker: the view reads the table with its owner's rights, which would
 * bypass row-level security, so the DO block refuses (and the transaction changes nothing) when the
 * table has it enabled.
 *
 * <p>Contract drops the view. The DO block's body is on one line: a multi-statement step separates
 * its statements by {@code ";\n"}.
 */
final class RenameTableRecipe implements Recipe {
    static final Set<String> COVERS = Set.of("rename-table");

    @Override
    public Set<String> covers() {
        return COVERS;
    }

    Outcome rename(PlanContext ctx, Change.AlterTable at, AlterAction.RenameTable rt) {
        QualifiedName to = QualifiedName.of(at.table().schema(), rt.newName());
        return keepOldName(ctx, at, to, "ALTER TABLE " + SqlText.name(to) + " RENAME TO " + SqlText.ident(at.table().name()));
    }

    Outcome setSchema(PlanContext ctx, Change.AlterTable at, AlterAction.SetSchema ss) {
        QualifiedName to = QualifiedName.of(ss.schema(), at.table().name());
        // Unqualified, the table was found on the search path; the model resolves it to the schema it is in (public offline).
        String schema = ctx.table(at.table()).map(t -> t.name().schema()).orElse(at.table().resolved().schema());
        return keepOldName(ctx, at, to, "ALTER TABLE " + SqlText.name(to) + " SET SCHEMA " + SqlText.ident(schema));
    }

    private Outcome keepOldName(PlanContext ctx, Change.AlterTable at, QualifiedName to, String moveBack) {
        QualifiedName from = at.table();
        Optional<TableInfo> table = ctx.table(from);
        if (at.ifExists() && table.isEmpty()) {
            return Outcome.precondition("ALTER TABLE IF EXISTS: " + from.display() + " is not in the schema the plan was made from,"
                            + " and the view that keeps its old name can only be created if it exists.",
                    "Plan with --url so that Tandem reads the table from the database, or drop IF EXISTS.");
        }
        if (table.isPresent() && table.get().kind() != RelationKind.TABLE && table.get().kind() != RelationKind.PARTITIONED_TABLE
                && table.get().kind() != RelationKind.FOREIGN_TABLE) {
            return Outcome.notYet(from.display() + " is a " + table.get().kind().name().toLowerCase(java.util.Locale.ROOT)
                            .replace('_', ' ') + ", not a table: Tandem's recipe keeps the old name of a renamed table as an"
                            + " updatable view, and has none for renaming other relations.",
                    "Create the relation under its new name beside the old one, move the app to it, and drop the old one in"
                            + " a later release.");
        }
        String view = createView(ctx, from, to);
        return Outcome.steps()
                .expand(ctx.transactional(
                        "Move " + from.display() + " to " + to.display() + " and, in the same transaction, create a view "
                                + from.display() + " over it with the table's privileges, so that the old app version keeps"
                                + " reading and writing under the old name (a SELECT * view is updatable); brief"
                                + " AccessExclusiveLock. The old app cannot COPY, TRUNCATE, read ctid or use ON CONFLICT ON"
                                + " CONSTRAINT through the view.",
                        ctx.sql() + ";\n" + view,
                        List.of(PlanContext.lock(from, LockMode.ACCESS_EXCLUSIVE)),
                        "DROP VIEW " + SqlText.name(from) + ";\n" + moveBack))
                .contract(ctx.transactional(
                        "Drop the view " + from.display() + " that kept the old name for the old app version, now gone"
                                + " (brief AccessExclusiveLock on the view only).",
                        "DROP VIEW " + SqlText.name(from), List.of(), view))
                .build();
    }

    /** The view under the old name, and the table's privileges granted on it: two statements, {@code ";\n"}-separated. */
    static String createView(PlanContext ctx, QualifiedName from, QualifiedName to) {
        boolean invoker = ctx.version().atLeast(15);
        return "CREATE VIEW " + SqlText.name(from) + (invoker ? " WITH (security_invoker = true)" : "") + " AS SELECT * FROM "
                + SqlText.name(to) + ";\n" + copyPrivileges(from, to, !invoker);
    }

    /**
     * A DO block granting on {@code view} every table and column privilege {@code table} has
     * (PUBLIC for grantee 0, WITH GRANT OPTION kept). With {@code refuseRowSecurity}, it raises
     * instead when the table has row-level security enabled (a definer view would bypass it).
     */
    static String copyPrivileges(QualifiedName view, QualifiedName table, boolean refuseRowSecurity) {
        String oid = SqlText.regclass(table);
        String grantee = "CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END";
        String guard = refuseRowSecurity
                ? " IF (SELECT relrowsecurity FROM pg_catalog.pg_class WHERE oid = " + oid + ") THEN RAISE EXCEPTION"
                        + " 'row-level security is enabled on %; before PostgreSQL 15 a view over it would bypass it', "
                        + oid + "; END IF;"
                : "";
        return "DO $tandem$DECLARE g record; BEGIN" + guard
                + " FOR g IN SELECT a.privilege_type AS p, a.is_grantable AS o, " + grantee + " AS who, NULL::name AS col"
                + " FROM pg_catalog.pg_class c CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) a"
                + " LEFT JOIN pg_catalog.pg_roles r ON r.oid = a.grantee WHERE c.oid = " + oid
                + " UNION ALL SELECT a.privilege_type, a.is_grantable, " + grantee + ", t.attname"
                + " FROM pg_catalog.pg_attribute t CROSS JOIN LATERAL pg_catalog.aclexplode(t.attacl) a"
                + " LEFT JOIN pg_catalog.pg_roles r ON r.oid = a.grantee WHERE t.attrelid = " + oid
                + " AND t.attnum > 0 AND NOT t.attisdropped"
                + " LOOP EXECUTE 'GRANT ' || g.p || coalesce(' (' || quote_ident(g.col) || ')', '') || ' ON ' || "
                + SqlText.literal(SqlText.name(view)) + " || ' TO ' || g.who"
                + " || CASE WHEN g.o THEN ' WITH GRANT OPTION' ELSE '' END; END LOOP; END$tandem$";
    }
}
