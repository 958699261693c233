package dev.tandem.sql.internal;

import dev.tandem.sql.Change;
import dev.tandem.sql.Change.TransactionKind;
import dev.tandem.sql.LockMode;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.Token;
import dev.tandem.sql.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** VACUUM, ANALYZE, CLUSTER, LOCK, transactions, SET/RESET, COMMENT, DO and CALL. */
final class UtilityParser {
    private final TokenCursor c;

    UtilityParser(TokenCursor c) {
        this.c = c;
    }

    // ================================================================== maintenance and locking

    /** At VACUUM. */
    Change vacuum() {
        c.expect("vacuum");
        boolean full = false;
        if (c.is(Kind.LPAREN)) {
            full = new ObjectParser(c).utilityOptions().contains("full");
        } else {
            while (true) {
                if (c.accept("full")) full = true;
                else if (c.acceptAny("freeze", "verbose", "analyze", "analyse") == null) break;
            }
        }
        List<QualifiedName> tables = tableList();
        return new Change.Vacuum(tables, full, false);
    }

    /** At ANALYZE / ANALYSE. */
    Change analyze() {
        c.next();
        if (c.is(Kind.LPAREN)) new ObjectParser(c).utilityOptions();
        else c.accept("verbose");
        return new Change.Vacuum(tableList(), false, true);
    }

    /** {@code t [(cols)], …} up to the end. */
    private List<QualifiedName> tableList() {
        List<QualifiedName> tables = new ArrayList<>();
        if (c.atEnd()) return tables;
        do {
            c.accept("only");
            tables.add(c.qualifiedName("a table name"));
            c.acceptOp("*");
            if (c.is(Kind.LPAREN)) c.skipParens();
        } while (c.accept(Kind.COMMA));
        c.expectEnd();
        return tables;
    }

    /** At CLUSTER. */
    Change cluster() {
        c.expect("cluster");
        if (c.is(Kind.LPAREN)) new ObjectParser(c).utilityOptions();
        else c.accept("verbose");
        if (c.atEnd()) return new Change.Cluster(null, null);
        QualifiedName first = c.qualifiedName("a table name");
        if (c.accept("on")) {
            // Pre-8.3 form, still accepted: CLUSTER index ON table.
            QualifiedName table = c.qualifiedName("a table name");
            c.expectEnd();
            return new Change.Cluster(table, first.name());
        }
        String index = c.accept("using") ? c.name("an index name") : null;
        c.expectEnd();
        return new Change.Cluster(first, index);
    }

    /** At LOCK. ACCESS EXCLUSIVE when no mode is written. */
    Change lock() {
        c.expect("lock");
        c.accept("table");
        List<QualifiedName> tables = c.tableList();
        LockMode mode = LockMode.ACCESS_EXCLUSIVE;
        if (c.accept("in")) {
            int from = c.pos();
            while (!c.atEnd() && !c.is("mode")) c.next();
            if (!c.accept("mode") || c.pos() - 1 == from) throw c.syntax("expected a lock mode and MODE");
            String words = c.text(from, c.pos() - 1);
            try {
                mode = LockMode.fromSql(words);
            } catch (IllegalArgumentException e) {
                Token t = c.token(from);
                throw new dev.tandem.sql.SqlSyntaxException("unknown lock mode '" + words + "'", t.line(), t.column());
            }
        }
        boolean nowait = c.accept("nowait");
        c.expectEnd();
        return new Change.LockTable(tables, mode, nowait);
    }

    // ================================================================== transactions

    /** At BEGIN, START, COMMIT, END, ROLLBACK, ABORT, SAVEPOINT, RELEASE or PREPARE TRANSACTION. */
    Change transaction() {
        String w = c.next().text();
        TransactionKind kind = switch (w) {
            case "begin" -> TransactionKind.BEGIN;
            case "start" -> {
                c.expect("transaction");
                yield TransactionKind.BEGIN;
            }
            case "commit", "end" -> {
                if (w.equals("commit") && c.is("prepared")) yield TransactionKind.OTHER;
                yield TransactionKind.COMMIT;
            }
            case "rollback", "abort" -> {
                if (c.is("prepared")) yield TransactionKind.OTHER;
                c.acceptAny("work", "transaction");
                yield c.is("to") ? TransactionKind.ROLLBACK_TO : TransactionKind.ROLLBACK;
            }
            case "savepoint" -> TransactionKind.SAVEPOINT;
            case "release" -> TransactionKind.RELEASE;
            case "prepare" -> {
                c.expect("transaction");
                yield TransactionKind.PREPARE;
            }
            default -> throw c.syntax("not a transaction statement");
        };
        c.seek(c.size());
        return new Change.Transaction(kind);
    }

    // ================================================================== SET / RESET

    /** At SET. */
    Change set() {
        c.expect("set");
        boolean local = false;
        if (c.accept("local")) local = true;
        else if (!c.isSeq("session", "authorization")) c.accept("session");
        if (c.is("transaction") || c.isSeq("characteristics", "as")) {
            c.seek(c.size());
            return new Change.Transaction(TransactionKind.OTHER);
        }
        if (c.acceptSeq("time", "zone")) {
            String v = c.isAny("local", "default") ? null : value();
            c.seek(c.size());
            return new Change.SetParameter("timezone", v, local);
        }
        if (c.accept("constraints")) {
            String v = c.textToEnd(c.pos()).toLowerCase(Locale.ROOT);
            c.seek(c.size());
            return new Change.SetParameter("constraints", v, true);
        }
        if (c.accept("schema")) return new Change.SetParameter("search_path", value(), local);
        if (c.accept("names")) return new Change.SetParameter("client_encoding", c.atEnd() ? null : value(), local);
        if (c.accept("role")) return new Change.SetParameter("role", value(), local);
        if (c.acceptSeq("session", "authorization")) {
            String v = c.is("default") ? null : value();
            c.seek(c.size());
            return new Change.SetParameter("session_authorization", v, local);
        }
        if (c.acceptSeq("xml", "option")) return new Change.SetParameter("xmloption", value(), local);
        StringBuilder name = new StringBuilder(c.label("a parameter name"));
        while (c.accept(Kind.DOT)) name.append('.').append(c.label("a parameter name"));
        if (!c.accept("to") && !c.acceptOp("=")) {
            if (c.isSeq("from", "current")) throw new Unmodelled("SET … FROM CURRENT is not modelled");
            throw c.syntax("expected TO or = after the parameter name");
        }
        if (c.atEnd()) throw c.syntax("expected a value");
        String v = c.is("default") ? null : value();
        c.seek(c.size());
        return new Change.SetParameter(name.toString().toLowerCase(Locale.ROOT), v, local);
    }

    /** A value list up to the end: each item without quotes, items joined by ", ". */
    private String value() {
        if (c.atEnd()) throw c.syntax("expected a value");
        StringBuilder sb = new StringBuilder();
        int itemStart = c.pos();
        while (!c.atEnd()) {
            Token t = c.next();
            if (t.kind() == Kind.COMMA) {
                sb.append(", ");
                itemStart = c.pos();
                continue;
            }
            if (t.kind() == Kind.STRING || t.kind() == Kind.IDENT || t.kind() == Kind.QUOTED_IDENT) {
                if (c.pos() - 1 > itemStart) sb.append(' ');
                sb.append(t.text());
            } else {
                sb.append(c.sql(), t.start(), t.end());
            }
        }
        return sb.toString();
    }

    /** At RESET. */
    Change reset() {
        c.expect("reset");
        String name;
        if (c.acceptSeq("time", "zone")) name = "timezone";
        else if (c.acceptSeq("session", "authorization")) name = "session_authorization";
        else {
            StringBuilder sb = new StringBuilder(c.label("a parameter name"));
            while (c.accept(Kind.DOT)) sb.append('.').append(c.label("a parameter name"));
            name = sb.toString().toLowerCase(Locale.ROOT);
        }
        c.expectEnd();
        return new Change.SetParameter(name, null, false);
    }

    // ================================================================== COMMENT, DO, CALL

    private static final List<String> COMMENT_KINDS = List.of(
            "access method", "aggregate", "cast", "collation", "column", "constraint", "conversion", "database",
            "domain", "extension", "event trigger", "foreign data wrapper", "foreign table", "function", "index",
            "large object", "materialized view", "operator class", "operator family", "operator", "policy",
            "procedural language", "language", "procedure", "publication", "role", "routine", "rule", "schema",
            "sequence", "server", "statistics", "subscription", "table", "tablespace",
            "text search configuration", "text search dictionary", "text search parser", "text search template",
            "transform for", "trigger", "type", "view");

    /** At COMMENT. */
    Change comment() {
        c.expect("comment");
        c.expect("on");
        String kind = null;
        for (String k : COMMENT_KINDS) {
            if (c.acceptSeq(k.split(" "))) {
                kind = k;
                break;
            }
        }
        if (kind == null) throw c.unexpected("an object type");
        int from = c.pos();
        int is = -1;
        int depth = 0;
        for (int i = from; i < c.size(); i++) {
            Token t = c.token(i);
            if (t.kind() == Kind.LPAREN) depth++;
            else if (t.kind() == Kind.RPAREN) depth--;
            else if (depth == 0 && t.isKeyword("is")) is = i;
        }
        if (is <= from) throw c.syntax("expected the object's name and IS");
        if (is + 1 >= c.size()) throw c.syntax("expected a comment or NULL after IS");
        String target = c.text(from, is);
        c.seek(c.size());
        return new Change.Comment(kind.equals("procedural language") ? "language" : kind, target);
    }

    /** At DO. The language is {@code plpgsql} unless written. */
    Change doBlock() {
        c.expect("do");
        String language = "plpgsql";
        String body = null;
        while (!c.atEnd()) {
            if (c.accept("language")) {
                language = c.next().text().toLowerCase(Locale.ROOT);
            } else if (c.is(Kind.STRING) && body == null) {
                body = c.next().text();
            } else {
                c.expectEnd();
            }
        }
        if (body == null) throw c.syntax("expected the code of the DO block in quotes");
        return new Change.DoBlock(language, body);
    }

    /** At CALL. */
    Change call() {
        c.expect("call");
        QualifiedName proc = c.qualifiedName("a procedure name");
        if (!c.is(Kind.LPAREN)) throw c.syntax("expected '(' and the arguments");
        c.skipParens();
        c.expectEnd();
        return new Change.Call(proc);
    }
}
