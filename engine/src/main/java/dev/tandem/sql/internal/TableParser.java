package dev.tandem.sql.internal;

import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.ColumnDef;
import dev.tandem.sql.Constraint;
import dev.tandem.sql.Expr;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.Token;
import dev.tandem.sql.Token.Kind;
import dev.tandem.sql.TypeName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** CREATE TABLE, ALTER TABLE and the column and constraint definitions they share. */
final class TableParser {
    private final TokenCursor c;

    TableParser(TokenCursor c) {
        this.c = c;
    }

    /** Words that end a column's DEFAULT expression (PostgreSQL's b_expr cannot contain them). */
    private static final Set<String> DEFAULT_STOP = Set.of(
            "constraint", "not", "null", "check", "unique", "primary", "references", "default", "generated",
            "collate", "deferrable", "initially", "storage", "compression");

    private static final Set<String> NO_STOP = Set.of();

    /** Words after SET in {@code ALTER COLUMN c SET …} that alter an identity column's sequence. */
    private static final Set<String> IDENTITY_OPTIONS = Set.of(
            "generated", "increment", "start", "minvalue", "maxvalue", "no", "cache", "cycle", "sequence",
            "logged", "unlogged", "owned", "as", "restart");

    // ================================================================== CREATE TABLE

    /** After CREATE [GLOBAL|LOCAL] [TEMP|UNLOGGED]: at TABLE. */
    Change createTable(boolean temporary, boolean unlogged) {
        c.expect("table");
        boolean ifNotExists = c.acceptSeq("if", "not", "exists");
        QualifiedName name = c.qualifiedName("a table name");
        List<ColumnDef> columns = new ArrayList<>();
        List<Constraint> constraints = new ArrayList<>();
        List<QualifiedName> inherits = new ArrayList<>();
        List<QualifiedName> like = new ArrayList<>();
        String partitionBy = null;
        QualifiedName partitionOf = null;
        String partitionBound = null;
        String asQuery = null;
        String accessMethod = null;
        String tablespace = null;

        int asAt = findTopLevel("as", c.pos());
        if (asAt >= 0) {
            // CREATE TABLE … AS query [WITH [NO] DATA]; the optional (col, …) list has names only.
            int end = c.size();
            if (end - asAt > 2 && c.token(end - 1).isKeyword("data") && c.token(end - 2).isKeyword("no")
                    && c.token(end - 3).isKeyword("with")) {
                end -= 3;
            } else if (end - asAt > 1 && c.token(end - 1).isKeyword("data") && c.token(end - 2).isKeyword("with")) {
                end -= 2;
            }
            asQuery = c.text(asAt + 1, end);
            if (asQuery.isEmpty()) throw c.syntax("expected a query after AS");
            c.seek(c.size());
            return new Change.CreateTable(name, ifNotExists, temporary, unlogged, columns, constraints, null, null,
                    null, inherits, like, asQuery, null, null);
        }

        if (c.accept("of")) {
            throw new Unmodelled("CREATE TABLE … OF type is not modelled");
        }
        if (c.acceptSeq("partition", "of")) {
            partitionOf = c.qualifiedName("a parent table name");
            if (c.is(Kind.LPAREN)) tableElements(columns, constraints, like, true);
            int from = c.pos();
            if (c.accept("default")) {
                partitionBound = "DEFAULT";
            } else {
                c.expectSeq("for", "values");
                if (c.is("with") && c.is(1, Kind.LPAREN)) { // hash bound: WITH (MODULUS m, REMAINDER r)
                    c.next();
                    c.skipParens();
                }
                skipClause(Set.of("partition", "using", "with", "without", "on", "tablespace"));
                partitionBound = c.text(from, c.pos());
            }
        } else {
            if (!c.is(Kind.LPAREN)) throw c.syntax("expected '(' and the table's columns");
            tableElements(columns, constraints, like, false);
        }
        while (!c.atEnd()) {
            if (c.accept("inherits")) {
                c.expect(Kind.LPAREN);
                do {
                    inherits.add(c.qualifiedName("a parent table name"));
                } while (c.accept(Kind.COMMA));
                c.expect(Kind.RPAREN);
            } else if (c.isSeq("partition", "by")) {
                int from = c.pos();
                c.acceptSeq("partition", "by");
                skipClause(Set.of("using", "with", "without", "on", "tablespace"));
                partitionBy = c.text(from, c.pos());
            } else if (c.accept("using")) {
                accessMethod = c.name("an access method");
            } else if (c.accept("with")) {
                storageParameters();
            } else if (c.acceptSeq("without", "oids")) {
                // no-op since PG 12
            } else if (c.acceptSeq("on", "commit")) {
                if (c.acceptAny("preserve", "delete") != null) c.expect("rows");
                else c.expect("drop");
            } else if (c.accept("tablespace")) {
                tablespace = c.name("a tablespace name");
            } else {
                c.expectEnd();
            }
        }
        return new Change.CreateTable(name, ifNotExists, temporary, unlogged, columns, constraints, partitionBy,
                partitionOf, partitionBound, inherits, like, asQuery, accessMethod, tablespace);
    }

    private void tableElements(List<ColumnDef> columns, List<Constraint> constraints, List<QualifiedName> like,
            boolean partition) {
        c.expect(Kind.LPAREN);
        if (c.accept(Kind.RPAREN)) return;
        do {
            if (c.accept("like")) {
                like.add(c.qualifiedName("a table name"));
                while (c.acceptAny("including", "excluding") != null) c.next();
            } else if (startsTableConstraint()) {
                constraints.add(tableConstraint());
            } else if (partition) {
                // PARTITION OF elements: column [WITH OPTIONS] constraints — no type; the columns come
                // from the parent, so only the constraints are kept.
                String col = c.name("a column name");
                c.acceptSeq("with", "options");
                ColumnDef def = columnTail(col, null);
                constraints.addAll(def.constraints());
            } else {
                columns.add(columnDef());
            }
        } while (c.accept(Kind.COMMA));
        c.expect(Kind.RPAREN);
    }

    /** Moves past a clause up to one of {@code stops} at depth 0, or the end. */
    private void skipClause(Set<String> stops) {
        while (!c.atEnd()) {
            if (c.is(Kind.LPAREN)) {
                c.skipParens();
                continue;
            }
            Token t = c.peek();
            if (t.kind() == Kind.IDENT && stops.contains(t.text())) {
                // "partition by" only stops as a pair; "on commit" likewise.
                if (t.text().equals("partition") && !c.is(1, "by")) {
                    c.next();
                    continue;
                }
                if (t.text().equals("on") && !c.is(1, "commit")) {
                    c.next();
                    continue;
                }
                return;
            }
            c.next();
        }
    }

    /** Index of the first top-level keyword {@code kw} at or after {@code from}, or -1. */
    private int findTopLevel(String kw, int from) {
        int depth = 0;
        for (int i = from; i < c.size(); i++) {
            Token t = c.token(i);
            switch (t.kind()) {
                case LPAREN, LBRACKET -> depth++;
                case RPAREN, RBRACKET -> depth--;
                default -> {
                    if (depth == 0 && t.isKeyword(kw)) return i;
                }
            }
        }
        return -1;
    }

    // ================================================================== columns

    ColumnDef columnDef() {
        String name = c.name("a column name");
        TypeName type = TypeParser.parse(c);
        return columnTail(name, type);
    }

    /** Column options and constraints after the type, up to a comma, ')' or the end. */
    private ColumnDef columnTail(String name, TypeName type) {
        boolean notNull = false;
        Expr defaultValue = null;
        ColumnDef.Generated generated = null;
        ColumnDef.Identity identity = null;
        List<Constraint> constraints = new ArrayList<>();
        String collation = null;
        List<String> cols = List.of(name);
        while (!c.atEnd() && !c.is(Kind.COMMA) && !c.is(Kind.RPAREN)) {
            if (c.accept("collate")) {
                collation = c.qualifiedName("a collation").toString();
                continue;
            }
            if (c.accept("storage") || c.accept("compression")) {
                c.next();
                continue;
            }
            if (constraintAttribute()) continue;
            String cname = c.accept("constraint") ? c.name("a constraint name") : null;
            if (c.acceptSeq("not", "null")) {
                notNull = true;
                c.acceptSeq("no", "inherit");
            } else if (c.accept("null")) {
                notNull = false;
            } else if (c.accept("default")) {
                int from = c.pos();
                int to = c.skipExpr(DEFAULT_STOP);
                if (to == from) throw c.syntax("expected a DEFAULT expression");
                defaultValue = ExprReader.expr(c, from, to);
            } else if (c.accept("check")) {
                Expr e = parenExpr();
                boolean noInherit = c.acceptSeq("no", "inherit");
                constraints.add(new Constraint.Check(cname, e, false, noInherit));
            } else if (c.accept("unique")) {
                boolean nnd = nullsNotDistinct();
                indexParameters();
                constraints.add(new Constraint.Unique(cname, cols, null, nnd));
            } else if (c.acceptSeq("primary", "key")) {
                indexParameters();
                constraints.add(new Constraint.PrimaryKey(cname, cols, null));
            } else if (c.accept("references")) {
                constraints.add(references(cname, cols));
            } else if (c.accept("generated")) {
                boolean always;
                if (c.accept("always")) always = true;
                else {
                    c.expectSeq("by", "default");
                    always = false;
                }
                c.expect("as");
                if (c.accept("identity")) {
                    identity = new ColumnDef.Identity(always);
                    if (c.is(Kind.LPAREN)) c.skipParens();
                } else {
                    Expr e = parenExpr();
                    // PG 18: VIRTUAL is the default kind when neither word is written.
                    boolean stored = c.accept("stored");
                    if (!stored) c.accept("virtual");
                    generated = new ColumnDef.Generated(e, stored);
                }
            } else if (cname != null) {
                throw c.unexpected("a column constraint after CONSTRAINT " + cname);
            } else {
                throw c.unexpected("a column constraint");
            }
        }
        return new ColumnDef(name, type, notNull, defaultValue, generated, identity, constraints, collation);
    }

    /** DEFERRABLE, NOT DEFERRABLE, INITIALLY …, ENFORCED, NOT ENFORCED: accepted and ignored. */
    private boolean constraintAttribute() {
        if (c.accept("deferrable") || c.acceptSeq("not", "deferrable") || c.accept("enforced")
                || c.acceptSeq("not", "enforced")) {
            return true;
        }
        if (c.accept("initially")) {
            if (c.acceptAny("deferred", "immediate") == null) throw c.unexpected("DEFERRED or IMMEDIATE");
            return true;
        }
        return false;
    }

    private Expr parenExpr() {
        if (!c.is(Kind.LPAREN)) throw c.syntax("expected '(' and an expression");
        int open = c.pos();
        int close = c.skipParens();
        if (close == open + 1) throw c.syntax("expected an expression");
        return ExprReader.expr(c, open + 1, close);
    }

    private boolean nullsNotDistinct() {
        if (c.acceptSeq("nulls", "not", "distinct")) return true;
        c.acceptSeq("nulls", "distinct");
        return false;
    }

    /** INCLUDE (…), WITH (…), USING INDEX TABLESPACE t: accepted and ignored. */
    private void indexParameters() {
        while (true) {
            if (c.accept("include")) {
                c.parenNames("a column name");
            } else if (c.is("with") && c.is(1, Kind.LPAREN)) {
                c.next();
                c.skipParens();
            } else if (c.acceptSeq("using", "index", "tablespace")) {
                c.name("a tablespace name");
            } else {
                return;
            }
        }
    }

    /** After REFERENCES. */
    private Constraint.ForeignKey references(String name, List<String> columns) {
        QualifiedName ref = c.qualifiedName("a referenced table name");
        List<String> refCols = c.is(Kind.LPAREN) ? c.parenNames("a column name") : List.of();
        String onDelete = null;
        while (true) {
            if (c.accept("match")) {
                if (c.acceptAny("full", "partial", "simple") == null) throw c.unexpected("FULL, PARTIAL or SIMPLE");
            } else if (c.isSeq("on", "delete")) {
                c.acceptSeq("on", "delete");
                onDelete = referentialAction();
            } else if (c.isSeq("on", "update")) {
                c.acceptSeq("on", "update");
                referentialAction();
            } else {
                break;
            }
        }
        return new Constraint.ForeignKey(name, columns, ref, refCols, onDelete, false);
    }

    private String referentialAction() {
        String a;
        if (c.acceptSeq("no", "action")) a = "no action";
        else if (c.accept("restrict")) a = "restrict";
        else if (c.accept("cascade")) a = "cascade";
        else if (c.acceptSeq("set", "null")) a = "set null";
        else if (c.acceptSeq("set", "default")) a = "set default";
        else throw c.unexpected("a referential action");
        if (a.startsWith("set") && c.is(Kind.LPAREN)) c.parenNames("a column name"); // PG 15
        return a;
    }

    // ================================================================== table constraints

    boolean startsTableConstraint() {
        return c.isAny("constraint", "check", "unique", "primary", "foreign")
                || (c.is("exclude") && (c.is(1, Kind.LPAREN) || c.is(1, "using")))
                || c.isSeq("not", "null");
    }

    /** [CONSTRAINT name] CHECK|UNIQUE|PRIMARY KEY|FOREIGN KEY|EXCLUDE|NOT NULL … [attributes]. */
    Constraint tableConstraint() {
        String name = c.accept("constraint") ? c.name("a constraint name") : null;
        Constraint result;
        if (c.accept("check")) {
            Expr e = parenExpr();
            boolean noInherit = false;
            boolean notValid = false;
            while (true) {
                if (c.acceptSeq("no", "inherit")) noInherit = true;
                else if (c.acceptSeq("not", "valid")) notValid = true;
                else if (!constraintAttribute()) break;
            }
            return new Constraint.Check(name, e, notValid, noInherit);
        } else if (c.accept("unique")) {
            boolean nnd = nullsNotDistinct();
            if (c.acceptSeq("using", "index")) {
                result = new Constraint.Unique(name, List.of(), c.name("an index name"), false);
            } else {
                List<String> cols = c.parenNames("a column name");
                indexParameters();
                result = new Constraint.Unique(name, cols, null, nnd);
            }
        } else if (c.acceptSeq("primary", "key")) {
            if (c.acceptSeq("using", "index")) {
                result = new Constraint.PrimaryKey(name, List.of(), c.name("an index name"));
            } else {
                List<String> cols = c.parenNames("a column name");
                indexParameters();
                result = new Constraint.PrimaryKey(name, cols, null);
            }
        } else if (c.acceptSeq("foreign", "key")) {
            List<String> cols = c.parenNames("a column name");
            c.expect("references");
            Constraint.ForeignKey fk = references(name, cols);
            boolean notValid = constraintTail();
            return new Constraint.ForeignKey(name, fk.columns(), fk.refTable(), fk.refColumns(), fk.onDelete(), notValid);
        } else if (c.is("exclude")) {
            int from = c.pos();
            c.next();
            if (c.accept("using")) c.name("an index method");
            c.skipParens();
            indexParameters();
            if (c.accept("where")) {
                if (!c.is(Kind.LPAREN)) throw c.unexpected("'('");
                c.skipParens();
            }
            result = new Constraint.Exclusion(name, c.text(from, c.pos()));
        } else if (c.acceptSeq("not", "null")) {
            String col = c.name("a column name");
            boolean notValid = false;
            while (true) {
                if (c.acceptSeq("not", "valid")) notValid = true;
                else if (!c.acceptSeq("no", "inherit") && !constraintAttribute()) break;
            }
            return new Constraint.NotNull(name, col, notValid);
        } else {
            throw c.unexpected("CHECK, UNIQUE, PRIMARY KEY, FOREIGN KEY, EXCLUDE or NOT NULL");
        }
        constraintTail();
        return result;
    }

    /** Constraint attributes after a constraint; returns whether NOT VALID was written. */
    private boolean constraintTail() {
        boolean notValid = false;
        while (true) {
            if (c.acceptSeq("not", "valid")) notValid = true;
            else if (!constraintAttribute()) return notValid;
        }
    }

    // ================================================================== ALTER TABLE

    /** After ALTER TABLE. */
    Change alterTable() {
        if (c.isSeq("all", "in", "tablespace")) {
            throw new Unmodelled("ALTER TABLE ALL IN TABLESPACE moves every table of a tablespace");
        }
        boolean ifExists = c.acceptSeq("if", "exists");
        boolean only = c.accept("only");
        QualifiedName table = c.qualifiedName("a table name");
        c.acceptOp("*");
        if (c.atEnd()) throw c.syntax("expected an ALTER TABLE action");
        List<AlterAction> actions = new ArrayList<>();
        do {
            actions.add(alterAction());
        } while (c.accept(Kind.COMMA));
        c.expectEnd();
        return new Change.AlterTable(table, ifExists, only, actions);
    }

    private AlterAction alterAction() {
        Token t = c.peek();
        if (t == null) throw c.syntax("expected an ALTER TABLE action");
        if (t.kind() != Kind.IDENT) throw c.syntax("expected an ALTER TABLE action, found '" + t.text() + "'");
        switch (t.text()) {
            case "add" -> {
                c.next();
                if (c.accept("column")) {
                    boolean ine = c.acceptSeq("if", "not", "exists");
                    return new AlterAction.AddColumn(columnDef(), ine);
                }
                if (c.acceptSeq("if", "not", "exists")) return new AlterAction.AddColumn(columnDef(), true);
                if (startsTableConstraint()) return new AlterAction.AddConstraint(tableConstraint());
                return new AlterAction.AddColumn(columnDef(), false);
            }
            case "drop" -> {
                c.next();
                if (c.accept("constraint")) {
                    boolean ie = c.acceptSeq("if", "exists");
                    String name = c.name("a constraint name");
                    return new AlterAction.DropConstraint(name, ie, dropBehavior());
                }
                c.accept("column");
                boolean ie = c.acceptSeq("if", "exists");
                String col = c.name("a column name");
                return new AlterAction.DropColumn(col, ie, dropBehavior());
            }
            case "alter" -> {
                c.next();
                if (c.is("constraint")) throw new Unmodelled("ALTER TABLE … ALTER CONSTRAINT is not modelled");
                c.accept("column");
                return alterColumn(c.name("a column name"));
            }
            case "validate" -> {
                c.next();
                c.expect("constraint");
                return new AlterAction.ValidateConstraint(c.name("a constraint name"));
            }
            case "rename" -> {
                c.next();
                if (c.accept("constraint")) {
                    String from = c.name("a constraint name");
                    c.expect("to");
                    return new AlterAction.RenameConstraint(from, c.name("a constraint name"));
                }
                if (c.accept("to")) return new AlterAction.RenameTable(c.name("a table name"));
                c.accept("column");
                String from = c.name("a column name");
                c.expect("to");
                return new AlterAction.RenameColumn(from, c.name("a column name"));
            }
            case "set" -> {
                c.next();
                if (c.accept("schema")) return new AlterAction.SetSchema(c.name("a schema name"));
                if (c.accept("logged")) return new AlterAction.SetLogged();
                if (c.accept("unlogged")) return new AlterAction.SetUnlogged();
                if (c.accept("tablespace")) return new AlterAction.SetTablespace(c.name("a tablespace name"));
                if (c.acceptSeq("access", "method")) {
                    return new AlterAction.SetAccessMethod(c.accept("default") ? "default" : c.name("an access method"));
                }
                if (c.acceptSeq("without", "cluster")) return new AlterAction.SetWithoutCluster();
                if (c.acceptSeq("without", "oids")) return new AlterAction.NoOp("set without oids");
                if (c.is(Kind.LPAREN)) return new AlterAction.SetStorageParameters(setParameters(), false);
                throw c.unexpected("an ALTER TABLE … SET action");
            }
            case "reset" -> {
                c.next();
                return new AlterAction.SetStorageParameters(storageParameters(), true);
            }
            case "attach" -> {
                c.next();
                c.expect("partition");
                QualifiedName p = c.qualifiedName("a partition name");
                int from = c.pos();
                if (!c.accept("default")) {
                    c.expectSeq("for", "values");
                    skipToActionEnd();
                }
                return new AlterAction.AttachPartition(p, c.text(from, c.pos()));
            }
            case "detach" -> {
                c.next();
                c.expect("partition");
                QualifiedName p = c.qualifiedName("a partition name");
                boolean conc = c.accept("concurrently");
                boolean fin = !conc && c.accept("finalize");
                return new AlterAction.DetachPartition(p, conc, fin);
            }
            case "enable", "disable" -> {
                c.next();
                boolean enable = t.text().equals("enable");
                if (c.acceptSeq("row", "level", "security")) {
                    return new AlterAction.RowLevelSecurity(t.text() + " row level security");
                }
                c.acceptAny("replica", "always");
                if (c.accept("trigger")) {
                    String trig = c.accept("all") ? "all" : c.accept("user") ? "user" : c.name("a trigger name");
                    return new AlterAction.ToggleTrigger(enable, trig);
                }
                if (c.accept("rule")) return new AlterAction.ToggleRule(enable, c.name("a rule name"));
                throw c.unexpected("TRIGGER, RULE or ROW LEVEL SECURITY");
            }
            case "force" -> {
                c.next();
                c.expectSeq("row", "level", "security");
                return new AlterAction.RowLevelSecurity("force row level security");
            }
            case "no" -> {
                c.next();
                if (c.accept("force")) {
                    c.expectSeq("row", "level", "security");
                    return new AlterAction.RowLevelSecurity("no force row level security");
                }
                c.expect("inherit");
                return new AlterAction.Inherit(c.qualifiedName("a parent table name"), false);
            }
            case "inherit" -> {
                c.next();
                return new AlterAction.Inherit(c.qualifiedName("a parent table name"), true);
            }
            case "replica" -> {
                c.next();
                c.expect("identity");
                String id = c.acceptAny("default", "full", "nothing");
                if (id == null) {
                    c.expectSeq("using", "index");
                    id = "using index " + c.name("an index name");
                }
                return new AlterAction.ReplicaIdentity(id);
            }
            case "cluster" -> {
                c.next();
                c.expect("on");
                return new AlterAction.ClusterOn(c.name("an index name"));
            }
            case "owner" -> {
                c.next();
                c.expect("to");
                return new AlterAction.OwnerTo(roleSpec());
            }
            default -> throw new Unmodelled("ALTER TABLE … " + t.text().toUpperCase(Locale.ROOT) + " is not modelled");
        }
    }

    /** A role: a name or CURRENT_USER / CURRENT_ROLE / SESSION_USER. */
    String roleSpec() {
        String r = c.acceptAny("current_user", "current_role", "session_user");
        return r != null ? r : c.name("a role name");
    }

    private boolean dropBehavior() {
        if (c.accept("cascade")) return true;
        c.accept("restrict");
        return false;
    }

    /** Moves to the comma or end that ends the current ALTER TABLE action. */
    private void skipToActionEnd() {
        while (!c.atEnd() && !c.is(Kind.COMMA)) {
            if (c.is(Kind.LPAREN)) c.skipParens();
            else c.next();
        }
    }

    private AlterAction alterColumn(String col) {
        if (c.acceptSeq("set", "data", "type") || c.accept("type")) {
            TypeName type = TypeParser.parse(c);
            String collation = c.accept("collate") ? c.qualifiedName("a collation").toString() : null;
            Expr using = null;
            if (c.accept("using")) {
                int from = c.pos();
                int to = c.skipExpr(NO_STOP);
                if (to == from) throw c.syntax("expected a USING expression");
                using = ExprReader.expr(c, from, to);
            }
            return new AlterAction.AlterColumnType(col, type, collation, using);
        }
        if (c.acceptSeq("set", "default")) {
            int from = c.pos();
            int to = c.skipExpr(NO_STOP);
            if (to == from) throw c.syntax("expected a DEFAULT expression");
            return new AlterAction.SetDefault(col, ExprReader.expr(c, from, to));
        }
        if (c.acceptSeq("drop", "default")) return new AlterAction.DropDefault(col);
        if (c.acceptSeq("set", "not", "null")) return new AlterAction.SetNotNull(col);
        if (c.acceptSeq("drop", "not", "null")) return new AlterAction.DropNotNull(col);
        if (c.acceptSeq("drop", "expression")) {
            c.acceptSeq("if", "exists");
            return new AlterAction.DropExpression(col);
        }
        if (c.acceptSeq("add", "generated")) {
            boolean always;
            if (c.accept("always")) always = true;
            else {
                c.expectSeq("by", "default");
                always = false;
            }
            c.expectSeq("as", "identity");
            if (c.is(Kind.LPAREN)) c.skipParens();
            return new AlterAction.AddIdentity(col, always);
        }
        if (c.isSeq("drop", "identity")) {
            int from = c.pos();
            c.acceptSeq("drop", "identity");
            c.acceptSeq("if", "exists");
            return new AlterAction.AlterIdentity(col, c.text(from, c.pos()).toLowerCase(Locale.ROOT));
        }
        if (c.isSeq("set", "statistics")) {
            c.acceptSeq("set", "statistics");
            int from = c.pos();
            skipToActionEnd();
            return new AlterAction.AlterColumnOption(col, "statistics", c.text(from, c.pos()));
        }
        if (c.isSeq("set", "storage") || c.isSeq("set", "compression")) {
            c.next();
            String option = c.next().text();
            int from = c.pos();
            skipToActionEnd();
            return new AlterAction.AlterColumnOption(col, option, c.text(from, c.pos()));
        }
        if ((c.is("set") || c.is("reset")) && c.is(1, Kind.LPAREN)) {
            int from = c.pos();
            c.next();
            c.skipParens();
            return new AlterAction.AlterColumnOption(col, "options", c.text(from, c.pos()));
        }
        if (c.isSeq("set", "expression")) {
            throw new Unmodelled("ALTER COLUMN … SET EXPRESSION (PG 17) is not modelled");
        }
        if (c.is("set") && c.is(1, Kind.IDENT) && IDENTITY_OPTIONS.contains(c.peek(1).text()) || c.is("restart")) {
            // Identity sequence options: SET GENERATED …, SET INCREMENT BY …, RESTART [WITH n], … (no commas).
            int from = c.pos();
            skipToActionEnd();
            return new AlterAction.AlterIdentity(col, c.text(from, c.pos()));
        }
        if (c.isAny("set", "drop", "add", "type") && (c.peek(1) == null || c.is(1, Kind.COMMA))) {
            c.next();
            throw c.syntax("expected what to " + c.token(c.pos() - 1).text().toUpperCase(Locale.ROOT));
        }
        if (c.atEnd() || c.is(Kind.COMMA)) throw c.syntax("expected an ALTER COLUMN action");
        throw new Unmodelled("ALTER COLUMN … " + (c.atEnd() ? "" : c.peek().text().toUpperCase(Locale.ROOT) + " ")
                + "is not modelled");
    }

    /**
     * {@code (k [= v], …)}: keys lower-case (dotted for {@code toast.x}), values as written without
     * quotes; a key without value (SET) means {@code true}, as PostgreSQL reads it; RESET keys map to null.
     */
    Map<String, String> storageParameters() {
        c.expect(Kind.LPAREN);
        Map<String, String> out = new LinkedHashMap<>();
        if (c.accept(Kind.RPAREN)) return out;
        do {
            StringBuilder key = new StringBuilder(c.label("a parameter name"));
            while (c.accept(Kind.DOT)) key.append('.').append(c.label("a parameter name"));
            String value = null;
            if (c.acceptOp("=")) {
                int from = c.pos();
                while (!c.atEnd() && !c.is(Kind.COMMA) && !c.is(Kind.RPAREN)) {
                    if (c.is(Kind.LPAREN)) c.skipParens();
                    else c.next();
                }
                if (c.pos() == from) throw c.syntax("expected a value");
                value = c.pos() == from + 1 && c.token(from).kind() == Kind.STRING
                        ? c.token(from).text()
                        : c.pos() == from + 1 && c.token(from).kind() == Kind.IDENT ? c.token(from).text()
                        : c.source(from, c.pos());
            }
            out.put(key.toString().toLowerCase(Locale.ROOT), value);
        } while (c.accept(Kind.COMMA));
        c.expect(Kind.RPAREN);
        return out;
    }

    /** Storage parameters of SET: keys without a value read as {@code true}. */
    Map<String, String> setParameters() {
        Map<String, String> p = storageParameters();
        p.replaceAll((k, v) -> v == null ? "true" : v);
        return p;
    }
}
