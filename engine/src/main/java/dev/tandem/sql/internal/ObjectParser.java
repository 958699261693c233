package dev.tandem.sql.internal;

import dev.tandem.sql.Change;
import dev.tandem.sql.Expr;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.Token;
import dev.tandem.sql.Token.Kind;
import dev.tandem.sql.TypeName;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Indexes, views, triggers, routines, rules, types, domains, sequences, schemas, extensions and
 * databases.
 */
final class ObjectParser {
    private final TokenCursor c;

    ObjectParser(TokenCursor c) {
        this.c = c;
    }

    // ================================================================== indexes

    /** After CREATE [UNIQUE] INDEX. The method is {@code btree} when none is written. */
    Change createIndex(boolean unique) {
        boolean concurrently = c.accept("concurrently");
        boolean ifNotExists = c.acceptSeq("if", "not", "exists");
        String name = null;
        if (!c.is("on")) name = c.name("an index name");
        else if (ifNotExists) throw c.syntax("expected an index name after IF NOT EXISTS");
        if (!c.accept("on")) throw c.syntax("expected ON and the table to index");
        boolean only = c.accept("only");
        QualifiedName table = c.qualifiedName("a table name");
        String method = c.accept("using") ? c.name("an index method") : "btree";
        if (!c.is(Kind.LPAREN)) throw c.syntax("expected '(' and the index's columns or expressions");
        c.next();
        List<String> elements = new ArrayList<>();
        do {
            elements.add(indexElement());
        } while (c.accept(Kind.COMMA));
        c.expect(Kind.RPAREN);
        String where = null;
        while (!c.atEnd()) {
            if (c.accept("include")) {
                c.parenNames("a column name");
            } else if (c.acceptSeq("nulls", "not", "distinct") || c.acceptSeq("nulls", "distinct")) {
                // kept in the statement text; not modelled
            } else if (c.accept("with")) {
                if (!c.is(Kind.LPAREN)) throw c.unexpected("'('");
                c.skipParens();
            } else if (c.accept("tablespace")) {
                c.name("a tablespace name");
            } else if (c.accept("where")) {
                if (c.atEnd()) throw c.syntax("expected a predicate after WHERE");
                where = c.textToEnd(c.pos());
                c.seek(c.size());
            } else {
                c.expectEnd();
            }
        }
        // An index always lives in its table's schema; it cannot be qualified itself.
        QualifiedName indexName = name == null ? null : new QualifiedName(table.schema(), name);
        return new Change.CreateIndex(indexName, table, unique, concurrently, ifNotExists, only, method, elements,
                where);
    }

    /** One index element: a column name, or an expression's text; COLLATE, opclass and ordering dropped. */
    private String indexElement() {
        String element;
        if (c.is(Kind.LPAREN)) {
            int open = c.pos();
            int close = c.skipParens();
            if (close == open + 1) throw c.syntax("expected an expression");
            element = c.text(open + 1, close);
        } else if (c.peek() != null && c.peek().isIdentifier()) {
            int from = c.pos();
            // function call, possibly qualified: f(…), s.f(…)
            int i = from;
            while (c.is(i - from + 1, Kind.DOT) && c.peek(i - from + 2) != null && c.peek(i - from + 2).isIdentifier()) {
                i += 2;
            }
            if (c.is(i - from + 1, Kind.LPAREN)) {
                c.seek(i + 1);
                c.skipParens();
                element = c.text(from, c.pos());
            } else {
                element = c.name("a column name");
            }
        } else {
            throw c.syntax("expected a column name or an expression");
        }
        // COLLATE x, opclass [(params)], ASC|DESC, NULLS FIRST|LAST
        while (!c.atEnd() && !c.is(Kind.COMMA) && !c.is(Kind.RPAREN)) {
            if (c.is(Kind.LPAREN)) c.skipParens();
            else c.next();
        }
        return element;
    }

    /** After DROP INDEX. */
    Change dropIndex() {
        boolean concurrently = c.accept("concurrently");
        boolean ifExists = c.acceptSeq("if", "exists");
        List<QualifiedName> names = c.qualifiedNames("an index name");
        boolean cascade = dropBehavior();
        c.expectEnd();
        return new Change.DropIndex(names, concurrently, ifExists, cascade);
    }

    /** After ALTER INDEX. */
    Change alterIndex() {
        if (c.isSeq("all", "in", "tablespace")) throw new Unmodelled("ALTER INDEX ALL IN TABLESPACE is not modelled");
        boolean ifExists = c.acceptSeq("if", "exists");
        QualifiedName index = c.qualifiedName("an index name");
        String action;
        String target = null;
        if (c.acceptSeq("rename", "to")) {
            action = "rename";
            target = c.name("an index name");
        } else if (c.acceptSeq("set", "tablespace")) {
            action = "set tablespace";
            target = c.name("a tablespace name");
        } else if (c.acceptSeq("attach", "partition")) {
            action = "attach partition";
            target = c.qualifiedName("an index name").toString();
        } else if (c.acceptSeq("depends", "on", "extension")) {
            action = "depends on extension";
            target = c.name("an extension name");
        } else if (c.acceptSeq("no", "depends", "on", "extension")) {
            action = "no depends on extension";
            target = c.name("an extension name");
        } else if (c.is("set") || c.is("reset")) {
            action = c.next().text();
            if (!c.is(Kind.LPAREN)) throw c.unexpected("'('");
            c.skipParens();
        } else if (c.accept("alter")) {
            c.accept("column");
            action = "alter column";
            target = c.next().text();
            skipToEnd();
        } else {
            throw c.unexpected("an ALTER INDEX action");
        }
        c.expectEnd();
        return new Change.AlterIndex(index, ifExists, action, target);
    }

    /** After REINDEX. */
    Change reindex() {
        boolean concurrently = false;
        if (c.is(Kind.LPAREN)) {
            concurrently = utilityOptions().contains("concurrently");
        }
        String kind = c.acceptAny("index", "table", "schema", "database", "system");
        if (kind == null) throw c.syntax("expected INDEX, TABLE, SCHEMA, DATABASE or SYSTEM");
        if (c.accept("concurrently")) concurrently = true;
        QualifiedName name = null;
        if (kind.equals("index") || kind.equals("table")) {
            name = c.qualifiedName("a name");
        } else if (!c.atEnd() || kind.equals("schema")) {
            name = QualifiedName.of(c.name("a name")); // optional for DATABASE/SYSTEM since PG 16
        }
        c.expectEnd();
        return new Change.Reindex(kind, name, concurrently);
    }

    /**
     * A parenthesised utility option list ({@code (FULL, VERBOSE false, CONCURRENTLY)}): the
     * lower-case names of the options that are on.
     */
    Set<String> utilityOptions() {
        c.expect(Kind.LPAREN);
        Set<String> on = new java.util.HashSet<>();
        if (c.accept(Kind.RPAREN)) return on;
        do {
            String opt = c.label("an option name");
            boolean value = true;
            if (!c.is(Kind.COMMA) && !c.is(Kind.RPAREN)) {
                Token v = c.next();
                String t = v.text().toLowerCase(Locale.ROOT);
                value = !(t.equals("false") || t.equals("off") || t.equals("0") || t.equals("no"));
                while (!c.atEnd() && !c.is(Kind.COMMA) && !c.is(Kind.RPAREN)) c.next();
            }
            if (value) on.add(opt);
        } while (c.accept(Kind.COMMA));
        c.expect(Kind.RPAREN);
        return on;
    }

    // ================================================================== views

    /** After CREATE [OR REPLACE] [TEMP] [RECURSIVE] [MATERIALIZED] VIEW. */
    Change createView(boolean materialized, boolean orReplace) {
        if (materialized) c.acceptSeq("if", "not", "exists");
        QualifiedName name = c.qualifiedName("a view name");
        int as = -1;
        int depth = 0;
        for (int i = c.pos(); i < c.size(); i++) {
            Token t = c.token(i);
            if (t.kind() == Kind.LPAREN) depth++;
            else if (t.kind() == Kind.RPAREN) depth--;
            else if (depth == 0 && t.isKeyword("as")) {
                as = i;
                break;
            }
        }
        if (as < 0) throw c.syntax("expected AS and the view's query");
        int end = c.size();
        boolean withData = true;
        int n = end - as - 1;
        if (materialized && n >= 2 && c.token(end - 1).isKeyword("data")) {
            if (c.token(end - 2).isKeyword("with")) {
                end -= 2;
            } else if (n >= 3 && c.token(end - 2).isKeyword("no") && c.token(end - 3).isKeyword("with")) {
                end -= 3;
                withData = false;
            }
        } else if (!materialized && n >= 3 && c.token(end - 1).isKeyword("option") && c.token(end - 2).isKeyword("check")) {
            end -= 3;
            if (c.token(end).isKeyword("cascaded") || c.token(end).isKeyword("local")) end--;
        }
        if (end <= as + 1) throw c.syntax("expected the view's query after AS");
        String query = c.text(as + 1, end);
        c.seek(c.size());
        return new Change.CreateView(name, materialized, orReplace, withData, query);
    }

    /** After DROP [MATERIALIZED] VIEW. */
    Change dropView(boolean materialized) {
        boolean ifExists = c.acceptSeq("if", "exists");
        List<QualifiedName> names = c.qualifiedNames("a view name");
        boolean cascade = dropBehavior();
        c.expectEnd();
        return new Change.DropView(names, materialized, ifExists, cascade);
    }

    /** After ALTER [MATERIALIZED] VIEW. */
    Change alterView(boolean materialized) {
        if (c.isSeq("all", "in", "tablespace")) throw new Unmodelled("ALTER MATERIALIZED VIEW ALL IN TABLESPACE is not modelled");
        c.acceptSeq("if", "exists");
        QualifiedName view = c.qualifiedName("a view name");
        String action;
        String target = null;
        if (c.accept("rename")) {
            if (c.accept("to")) {
                action = "rename";
                target = c.name("a view name");
            } else {
                c.accept("column");
                action = "rename column";
                c.name("a column name");
                c.expect("to");
                target = c.name("a column name");
            }
        } else if (c.acceptSeq("set", "schema")) {
            action = "set schema";
            target = c.name("a schema name");
        } else if (c.acceptSeq("owner", "to")) {
            action = "owner to";
            target = new TableParser(c).roleSpec();
        } else if (c.accept("alter")) {
            c.accept("column");
            action = "alter column";
            target = c.name("a column name");
            skipToEnd();
        } else if (c.acceptSeq("set", "tablespace")) {
            action = "set tablespace";
            target = c.name("a tablespace name");
        } else if (c.acceptSeq("set", "access", "method")) {
            action = "set access method";
            target = c.name("an access method");
        } else if (c.acceptSeq("cluster", "on")) {
            action = "cluster on";
            target = c.name("an index name");
        } else if (c.acceptSeq("set", "without", "cluster")) {
            action = "set without cluster";
        } else if (c.acceptSeq("depends", "on", "extension")) {
            action = "depends on extension";
            target = c.name("an extension name");
        } else if (c.acceptSeq("no", "depends", "on", "extension")) {
            action = "no depends on extension";
            target = c.name("an extension name");
        } else if ((c.is("set") || c.is("reset")) && c.is(1, Kind.LPAREN)) {
            action = c.next().text();
            c.skipParens();
        } else {
            throw c.unexpected("an ALTER VIEW action");
        }
        // Materialized views accept several comma-separated actions; the first names the change.
        if (c.is(Kind.COMMA)) skipToEnd();
        c.expectEnd();
        return new Change.AlterView(view, materialized, action, target);
    }

    /** After REFRESH. */
    Change refresh() {
        c.expectSeq("materialized", "view");
        boolean concurrently = c.accept("concurrently");
        QualifiedName view = c.qualifiedName("a materialized view name");
        boolean withData = true;
        if (c.acceptSeq("with", "no", "data")) withData = false;
        else c.acceptSeq("with", "data");
        c.expectEnd();
        return new Change.RefreshMaterializedView(view, concurrently, withData);
    }

    // ================================================================== triggers, routines, rules

    /** After CREATE [OR REPLACE] [CONSTRAINT] TRIGGER. */
    Change createTrigger(boolean orReplace, boolean constraint) {
        String name = c.name("a trigger name");
        while (!c.atEnd() && !c.is("on")) {
            if (c.is(Kind.LPAREN)) c.skipParens();
            else c.next();
        }
        if (!c.accept("on")) throw c.syntax("expected ON and the trigger's table");
        QualifiedName table = c.qualifiedName("a table name");
        skipToEnd();
        return new Change.CreateTrigger(name, table, orReplace, constraint);
    }

    /** After DROP TRIGGER. */
    Change dropTrigger() {
        boolean ifExists = c.acceptSeq("if", "exists");
        String name = c.name("a trigger name");
        if (!c.accept("on")) throw c.syntax("expected ON and the trigger's table");
        QualifiedName table = c.qualifiedName("a table name");
        dropBehavior();
        c.expectEnd();
        return new Change.DropTrigger(name, table, ifExists);
    }

    /**
     * After CREATE [OR REPLACE] FUNCTION|PROCEDURE. The body is the AS string's content, or the
     * SQL-standard body ({@code RETURN …} / {@code BEGIN ATOMIC … END}) as written, whose language
     * is {@code sql}.
     */
    Change createFunction(boolean procedure, boolean orReplace) {
        QualifiedName name = c.qualifiedName(procedure ? "a procedure name" : "a function name");
        if (!c.is(Kind.LPAREN)) throw c.syntax("expected '(' and the argument list");
        c.skipParens();
        String language = null;
        String body = null;
        while (!c.atEnd()) {
            Token t = c.peek();
            if (t.kind() == Kind.LPAREN) {
                c.skipParens();
            } else if (t.isKeyword("language")) {
                c.next();
                Token l = c.next();
                language = l.text().toLowerCase(Locale.ROOT);
            } else if (t.isKeyword("as") && c.is(1, Kind.STRING)) {
                c.next();
                body = c.next().text();
                if (c.accept(Kind.COMMA) && c.is(Kind.STRING)) c.next();
            } else if (t.isKeyword("return") || (t.isKeyword("begin") && c.is(1, "atomic"))) {
                body = c.textToEnd(c.pos());
                if (language == null) language = "sql";
                c.seek(c.size());
            } else {
                c.next();
            }
        }
        return new Change.CreateFunction(name, procedure, orReplace, language, body);
    }

    /** After DROP FUNCTION|PROCEDURE|ROUTINE|AGGREGATE. */
    Change dropFunction() {
        boolean ifExists = c.acceptSeq("if", "exists");
        List<QualifiedName> names = new ArrayList<>();
        do {
            names.add(c.qualifiedName("a function name"));
            if (c.is(Kind.LPAREN)) c.skipParens();
        } while (c.accept(Kind.COMMA));
        dropBehavior();
        c.expectEnd();
        return new Change.DropFunction(names, ifExists);
    }

    /** After CREATE [OR REPLACE] RULE. */
    Change createRule() {
        String name = c.name("a rule name");
        c.expectSeq("as", "on");
        if (c.acceptAny("select", "insert", "update", "delete") == null) throw c.unexpected("SELECT, INSERT, UPDATE or DELETE");
        c.expect("to");
        QualifiedName table = c.qualifiedName("a table name");
        skipToEnd();
        return new Change.CreateRule(name, table);
    }

    // ================================================================== types and domains

    /** After CREATE TYPE. */
    Change createType() {
        QualifiedName name = c.qualifiedName("a type name");
        if (c.atEnd()) return new Change.CreateType(name, "shell", List.of());
        if (c.is(Kind.LPAREN)) {
            c.skipParens();
            c.expectEnd();
            return new Change.CreateType(name, "base", List.of());
        }
        c.expect("as");
        if (c.accept("enum")) {
            c.expect(Kind.LPAREN);
            List<String> values = new ArrayList<>();
            if (!c.is(Kind.RPAREN)) {
                do {
                    if (!c.is(Kind.STRING)) throw c.syntax("expected an enum label in quotes");
                    values.add(c.next().text());
                } while (c.accept(Kind.COMMA));
            }
            c.expect(Kind.RPAREN);
            c.expectEnd();
            return new Change.CreateType(name, "enum", values);
        }
        if (c.accept("range")) {
            c.skipParens();
            c.expectEnd();
            return new Change.CreateType(name, "range", List.of());
        }
        if (!c.is(Kind.LPAREN)) throw c.syntax("expected ENUM, RANGE or '(' after AS");
        c.skipParens();
        c.expectEnd();
        return new Change.CreateType(name, "composite", List.of());
    }

    /** After ALTER TYPE. */
    Change alterType() {
        QualifiedName name = c.qualifiedName("a type name");
        String action;
        String value = null;
        String position = null;
        boolean ifNotExists = false;
        if (c.acceptSeq("add", "value")) {
            action = "add value";
            ifNotExists = c.acceptSeq("if", "not", "exists");
            value = string("an enum label");
            String where = c.acceptAny("before", "after");
            if (where != null) {
                if (!c.is(Kind.STRING)) throw c.syntax("expected an enum label in quotes");
                c.next();
                position = where + " " + c.text(c.pos() - 1, c.pos());
            }
        } else if (c.acceptSeq("rename", "value")) {
            action = "rename value";
            position = string("an enum label");
            c.expect("to");
            value = string("an enum label");
        } else if (c.acceptSeq("rename", "to")) {
            action = "rename";
            value = c.name("a type name");
        } else if (c.acceptSeq("rename", "attribute")) {
            action = "rename attribute";
            c.name("an attribute name");
            c.expect("to");
            value = c.name("an attribute name");
            skipToEnd();
        } else if (c.acceptSeq("owner", "to")) {
            action = "owner";
            value = new TableParser(c).roleSpec();
        } else if (c.acceptSeq("set", "schema")) {
            action = "set schema";
            value = c.name("a schema name");
        } else if (c.is("add") || c.is("drop") || c.is("alter")) {
            String verb = c.next().text();
            c.expect("attribute");
            action = verb + " attribute";
            if (verb.equals("drop")) c.acceptSeq("if", "exists");
            value = c.name("an attribute name");
            skipToEnd();
        } else if (c.is("set") && c.is(1, Kind.LPAREN)) {
            action = "set";
            c.next();
            c.skipParens();
        } else {
            throw c.unexpected("an ALTER TYPE action");
        }
        c.expectEnd();
        return new Change.AlterType(name, action, value, position, ifNotExists);
    }

    private String string(String what) {
        if (!c.is(Kind.STRING)) throw c.syntax("expected " + what + " in quotes");
        return c.next().text();
    }

    /** After DROP TYPE / DROP DOMAIN. */
    Change dropType() {
        boolean ifExists = c.acceptSeq("if", "exists");
        List<QualifiedName> names = c.qualifiedNames("a type name");
        boolean cascade = dropBehavior();
        c.expectEnd();
        return new Change.DropType(names, ifExists, cascade);
    }

    /** After CREATE DOMAIN. */
    Change createDomain() {
        QualifiedName name = c.qualifiedName("a domain name");
        c.accept("as");
        TypeName type = TypeParser.parse(c);
        boolean notNull = false;
        List<Expr> checks = new ArrayList<>();
        while (!c.atEnd()) {
            if (c.accept("collate")) {
                c.qualifiedName("a collation");
            } else if (c.accept("default")) {
                int from = c.pos();
                c.skipExpr(Set.of("constraint", "not", "null", "check", "collate"));
                if (c.pos() == from) throw c.syntax("expected a DEFAULT expression");
            } else if (c.accept("constraint")) {
                c.name("a constraint name");
            } else if (c.acceptSeq("not", "null")) {
                notNull = true;
            } else if (c.accept("null")) {
                notNull = false;
            } else if (c.accept("check")) {
                checks.add(parenExpr());
                c.acceptSeq("not", "valid");
            } else {
                c.expectEnd();
            }
        }
        return new Change.CreateDomain(name, type, notNull, checks);
    }

    private Expr parenExpr() {
        if (!c.is(Kind.LPAREN)) throw c.syntax("expected '(' and an expression");
        int open = c.pos();
        int close = c.skipParens();
        if (close == open + 1) throw c.syntax("expected an expression");
        return ExprReader.expr(c, open + 1, close);
    }

    /** After ALTER DOMAIN. */
    Change alterDomain() {
        QualifiedName name = c.qualifiedName("a domain name");
        String action;
        boolean notValid = false;
        if (c.acceptSeq("set", "default")) {
            action = "set default";
            skipToEnd();
        } else if (c.acceptSeq("drop", "default")) {
            action = "drop default";
        } else if (c.acceptSeq("set", "not", "null")) {
            action = "set not null";
        } else if (c.acceptSeq("drop", "not", "null")) {
            action = "drop not null";
        } else if (c.accept("add")) {
            action = "add constraint";
            if (c.accept("constraint")) c.name("a constraint name");
            if (c.accept("check")) parenExpr();
            else c.expectSeq("not", "null");
            notValid = c.acceptSeq("not", "valid");
        } else if (c.acceptSeq("drop", "constraint")) {
            action = "drop constraint";
            c.acceptSeq("if", "exists");
            c.name("a constraint name");
            dropBehavior();
        } else if (c.acceptSeq("rename", "constraint")) {
            action = "rename constraint";
            c.name("a constraint name");
            c.expect("to");
            c.name("a constraint name");
        } else if (c.acceptSeq("validate", "constraint")) {
            action = "validate constraint";
            c.name("a constraint name");
        } else if (c.acceptSeq("owner", "to")) {
            action = "owner";
            new TableParser(c).roleSpec();
        } else if (c.acceptSeq("rename", "to")) {
            action = "rename";
            c.name("a domain name");
        } else if (c.acceptSeq("set", "schema")) {
            action = "set schema";
            c.name("a schema name");
        } else {
            throw c.unexpected("an ALTER DOMAIN action");
        }
        c.expectEnd();
        return new Change.AlterDomain(name, action, notValid);
    }

    // ================================================================== sequences, schemas, extensions, databases

    /** After CREATE [TEMP|UNLOGGED] SEQUENCE / ALTER SEQUENCE / DROP SEQUENCE. */
    Change sequence(String verb) {
        List<QualifiedName> names;
        switch (verb) {
            case "create" -> {
                c.acceptSeq("if", "not", "exists");
                names = List.of(c.qualifiedName("a sequence name"));
                skipToEnd();
            }
            case "alter" -> {
                c.acceptSeq("if", "exists");
                names = List.of(c.qualifiedName("a sequence name"));
                skipToEnd();
            }
            default -> {
                c.acceptSeq("if", "exists");
                names = c.qualifiedNames("a sequence name");
                dropBehavior();
                c.expectEnd();
            }
        }
        return new Change.SequenceChange(verb, names);
    }

    /** After CREATE SCHEMA. */
    Change createSchema() {
        boolean ifNotExists = c.acceptSeq("if", "not", "exists");
        String name;
        if (c.accept("authorization")) {
            name = new TableParser(c).roleSpec();
        } else {
            name = c.name("a schema name");
            if (c.accept("authorization")) new TableParser(c).roleSpec();
        }
        if (!c.atEnd()) throw new Unmodelled("CREATE SCHEMA with schema elements is not modelled");
        return new Change.CreateSchema(name, ifNotExists);
    }

    /** After DROP SCHEMA. */
    Change dropSchema() {
        boolean ifExists = c.acceptSeq("if", "exists");
        List<String> names = new ArrayList<>();
        do {
            names.add(c.name("a schema name"));
        } while (c.accept(Kind.COMMA));
        boolean cascade = dropBehavior();
        c.expectEnd();
        return new Change.DropSchema(names, ifExists, cascade);
    }

    /** After ALTER SCHEMA. */
    Change alterSchema() {
        String name = c.name("a schema name");
        if (c.acceptSeq("rename", "to")) {
            String to = c.name("a schema name");
            c.expectEnd();
            return new Change.AlterSchema(name, "rename", to);
        }
        c.expectSeq("owner", "to");
        new TableParser(c).roleSpec();
        c.expectEnd();
        return new Change.AlterSchema(name, "owner", null);
    }

    /** After CREATE|ALTER|DROP EXTENSION; for DROP, the first extension named. */
    Change extension(String verb) {
        if (verb.equals("create")) c.acceptSeq("if", "not", "exists");
        if (verb.equals("drop")) c.acceptSeq("if", "exists");
        String name = c.name("an extension name");
        skipToEnd();
        return new Change.ExtensionChange(verb, name);
    }

    /** After CREATE|ALTER|DROP DATABASE. */
    Change database(String verb) {
        if (verb.equals("drop")) c.acceptSeq("if", "exists");
        String name = c.name("a database name");
        skipToEnd();
        return new Change.DatabaseChange(verb, name);
    }

    // ================================================================== helpers

    private boolean dropBehavior() {
        if (c.accept("cascade")) return true;
        c.accept("restrict");
        return false;
    }

    private void skipToEnd() {
        c.seek(c.size());
    }
}
