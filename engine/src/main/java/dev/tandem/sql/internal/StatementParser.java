package dev.tandem.sql.internal;

import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.SqlSyntaxException;
import dev.tandem.sql.Token;
import dev.tandem.sql.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The entry point behind {@code SqlParser}: checks the token list as a whole (one statement,
 * balanced parentheses), then dispatches on the command keyword.
 */
public final class StatementParser {

    /** PostgreSQL's commands (the first keyword of every statement the server accepts). */
    private static final Set<String> COMMANDS = Set.of(
            "abort", "alter", "analyze", "analyse", "begin", "call", "checkpoint", "close", "cluster", "comment",
            "commit", "copy", "create", "deallocate", "declare", "delete", "discard", "do", "drop", "end",
            "execute", "explain", "fetch", "grant", "import", "insert", "listen", "load", "lock", "merge", "move",
            "notify", "prepare", "reassign", "refresh", "reindex", "release", "reset", "revoke", "rollback",
            "savepoint", "security", "select", "set", "show", "start", "table", "truncate", "unlisten", "update",
            "vacuum", "values", "with");

    /**
     * Object kinds Tandem treats as {@link Change.OtherDdl}, longest spelling first so that
     * {@code text search configuration} wins over shorter prefixes.
     */
    private static final List<String> OTHER_KINDS = List.of(
            "text search configuration", "text search dictionary", "text search parser", "text search template",
            "foreign data wrapper", "trusted procedural language", "procedural language", "trusted language",
            "default conversion", "operator class", "operator family", "user mapping", "event trigger",
            "access method", "foreign table", "large object", "policy", "statistics", "collation", "publication",
            "subscription", "cast", "operator", "aggregate", "server", "transform", "language", "conversion",
            "tablespace", "function", "procedure", "routine", "trigger", "rule");

    private final TokenCursor c;

    private StatementParser(TokenCursor c) {
        this.c = c;
    }

    /** Parses one statement; see {@code SqlParser#parse}. */
    public static Change parse(String sql, List<Token> tokens) {
        List<Token> toks = tokens;
        // Trailing semicolons are allowed; anything after a top-level semicolon is a second statement.
        int n = toks.size();
        while (n > 0 && toks.get(n - 1).kind() == Kind.SEMICOLON) n--;
        if (n < toks.size()) toks = toks.subList(0, n);
        if (toks.isEmpty()) return new Change.Opaque("empty statement");
        checkBalanced(toks);
        TokenCursor c = new TokenCursor(sql, toks);
        Token first = toks.get(0);
        if (first.kind() == Kind.LPAREN) {
            return guarded(c, () -> new DataParser(c).query());
        }
        if (first.kind() != Kind.IDENT || !COMMANDS.contains(first.text())) {
            String word = printable(sql.substring(first.start(), Math.min(first.end(), first.start() + 40)));
            throw new SqlSyntaxException("'" + word + "' is not a PostgreSQL command", first.line(), first.column());
        }
        StatementParser p = new StatementParser(c);
        return guarded(c, p::statement);
    }

    /**
     * {@code text} with control characters written as escapes (backslash, u, four hex digits): a message goes to a terminal, where
     * a raw control character from a binary file would be invisible or garble the output.
     */
    private static String printable(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT
                    || Character.getType(cp) == Character.UNASSIGNED || Character.getType(cp) == Character.SURROGATE) {
                sb.append(String.format("\\u%04X", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    private static Change guarded(TokenCursor c, java.util.function.Supplier<Change> body) {
        try {
            Change change = body.get();
            c.expectEnd();
            return change;
        } catch (Unmodelled u) {
            return new Change.Opaque(u.reason());
        }
    }

    /** Parentheses and brackets must pair up; a semicolon may only end the statement. */
    private static void checkBalanced(List<Token> toks) {
        int[] stack = new int[16];
        int depth = 0;
        // PG 14 SQL-standard routine bodies (BEGIN ATOMIC … END) hold semicolons.
        int r = toks.get(0).isKeyword("create") && toks.size() > 3 && toks.get(1).isKeyword("or") ? 3 : 1;
        boolean routine = toks.get(0).isKeyword("create") && toks.size() > r
                && (toks.get(r).isKeyword("function") || toks.get(r).isKeyword("procedure"));
        boolean atomic = false;
        for (int i = 0; i < toks.size(); i++) {
            Token t = toks.get(i);
            if (routine && !atomic && t.isKeyword("begin") && i + 1 < toks.size() && toks.get(i + 1).isKeyword("atomic")) {
                atomic = true;
            }
            switch (t.kind()) {
                case LPAREN, LBRACKET -> {
                    if (depth == stack.length) stack = java.util.Arrays.copyOf(stack, depth * 2);
                    stack[depth++] = i;
                }
                case RPAREN, RBRACKET -> {
                    Kind open = t.kind() == Kind.RPAREN ? Kind.LPAREN : Kind.LBRACKET;
                    if (depth == 0 || toks.get(stack[depth - 1]).kind() != open) {
                        throw new SqlSyntaxException("unbalanced parentheses: '" + t.text() + "' without its opening",
                                t.line(), t.column());
                    }
                    depth--;
                }
                case SEMICOLON -> {
                    if (depth == 0 && !atomic) {
                        throw new SqlSyntaxException("more than one statement: split the script first", t.line(),
                                t.column());
                    }
                }
                default -> {}
            }
        }
        if (depth > 0) {
            Token t = toks.get(stack[depth - 1]);
            throw new SqlSyntaxException("unbalanced parentheses: '" + t.text() + "' is never closed", t.line(), t.column());
        }
    }

    private Change statement() {
        Token first = c.peek();
        return switch (first.text()) {
            case "create" -> create();
            case "alter" -> alter();
            case "drop" -> drop();
            case "truncate" -> truncate();
            case "reindex" -> {
                c.next();
                yield new ObjectParser(c).reindex();
            }
            case "refresh" -> {
                c.next();
                yield new ObjectParser(c).refresh();
            }
            case "update" -> new DataParser(c).update();
            case "delete" -> new DataParser(c).delete();
            case "insert" -> new DataParser(c).insert();
            case "merge" -> new DataParser(c).merge();
            case "copy" -> new DataParser(c).copy();
            case "with" -> new DataParser(c).with();
            case "select", "values", "table", "show" -> new DataParser(c).query();
            case "explain" -> new DataParser(c).explain();
            case "vacuum" -> new UtilityParser(c).vacuum();
            case "analyze", "analyse" -> new UtilityParser(c).analyze();
            case "cluster" -> new UtilityParser(c).cluster();
            case "lock" -> new UtilityParser(c).lock();
            case "begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release" ->
                    new UtilityParser(c).transaction();
            case "prepare" -> {
                if (c.is(1, "transaction")) yield new UtilityParser(c).transaction();
                throw new Unmodelled("PREPARE of a statement is not modelled");
            }
            case "set" -> new UtilityParser(c).set();
            case "reset" -> new UtilityParser(c).reset();
            case "comment" -> new UtilityParser(c).comment();
            case "do" -> new UtilityParser(c).doBlock();
            case "call" -> new UtilityParser(c).call();
            case "grant", "revoke", "reassign" -> privileges();
            case "security" -> {
                if (c.is(1, "label")) yield privileges();
                throw new Unmodelled("SECURITY is not modelled");
            }
            default -> throw new Unmodelled(first.text().toUpperCase(Locale.ROOT) + " is not modelled");
        };
    }

    private Change privileges() {
        Change p = new Change.Privileges(c.textToEnd(0));
        c.seek(c.size());
        return p;
    }

    // ================================================================== CREATE

    private Change create() {
        c.expect("create");
        if (c.atEnd()) throw c.syntax("expected what to create");
        boolean orReplace = c.acceptSeq("or", "replace");
        // Persistence for tables, sequences and views.
        boolean temporary = false;
        boolean unlogged = false;
        if (c.isAny("global", "local") && (c.is(1, "temp") || c.is(1, "temporary"))) c.next();
        if (c.acceptAny("temp", "temporary") != null) temporary = true;
        else if (c.accept("unlogged")) unlogged = true;

        if (c.is("table")) return new TableParser(c).createTable(temporary, unlogged);
        if (c.accept("sequence")) return new ObjectParser(c).sequence("create");
        if (c.accept("recursive")) {
            c.expect("view");
            return new ObjectParser(c).createView(false, orReplace);
        }
        if (c.accept("view")) return new ObjectParser(c).createView(false, orReplace);
        if (temporary || unlogged) {
            if (c.acceptSeq("materialized", "view")) return new ObjectParser(c).createView(true, orReplace);
            throw c.unexpected("TABLE, SEQUENCE or VIEW");
        }
        if (c.acceptSeq("materialized", "view")) return new ObjectParser(c).createView(true, orReplace);
        if (c.accept("unique")) {
            if (!c.accept("index")) throw c.syntax("expected INDEX after CREATE UNIQUE");
            return new ObjectParser(c).createIndex(true);
        }
        if (c.accept("index")) return new ObjectParser(c).createIndex(false);
        if (c.accept("trigger")) return new ObjectParser(c).createTrigger(orReplace, false);
        if (c.acceptSeq("constraint", "trigger")) return new ObjectParser(c).createTrigger(orReplace, true);
        if (c.accept("function")) return new ObjectParser(c).createFunction(false, orReplace);
        if (c.accept("procedure")) return new ObjectParser(c).createFunction(true, orReplace);
        if (c.accept("rule")) return new ObjectParser(c).createRule();
        if (c.accept("type")) return new ObjectParser(c).createType();
        if (c.accept("domain")) return new ObjectParser(c).createDomain();
        if (c.accept("schema")) return new ObjectParser(c).createSchema();
        if (c.accept("extension")) return new ObjectParser(c).extension("create");
        if (c.accept("database")) return new ObjectParser(c).database("create");
        if (isRoleKind()) return privileges();
        return otherDdl("create");
    }

    /** ROLE, USER (but not USER MAPPING) or GROUP: role management is a privilege change. */
    private boolean isRoleKind() {
        return c.is("role") || c.is("group") || (c.is("user") && !c.is(1, "mapping"));
    }

    // ================================================================== ALTER

    private Change alter() {
        c.expect("alter");
        if (c.atEnd()) throw c.syntax("expected what to alter");
        if (c.accept("table")) return new TableParser(c).alterTable();
        if (c.accept("index")) return new ObjectParser(c).alterIndex();
        if (c.accept("view")) return new ObjectParser(c).alterView(false);
        if (c.acceptSeq("materialized", "view")) return new ObjectParser(c).alterView(true);
        if (c.accept("type")) return new ObjectParser(c).alterType();
        if (c.accept("domain")) return new ObjectParser(c).alterDomain();
        if (c.accept("sequence")) return new ObjectParser(c).sequence("alter");
        if (c.accept("schema")) return new ObjectParser(c).alterSchema();
        if (c.accept("extension")) return new ObjectParser(c).extension("alter");
        if (c.accept("database")) return new ObjectParser(c).database("alter");
        if (isRoleKind() || c.isSeq("default", "privileges")) return privileges();
        if (c.is("system")) throw new Unmodelled("ALTER SYSTEM changes the server's configuration");
        return otherDdl("alter");
    }

    // ================================================================== DROP

    private Change drop() {
        c.expect("drop");
        if (c.atEnd()) throw c.syntax("expected what to drop");
        if (c.accept("table")) {
            boolean ifExists = c.acceptSeq("if", "exists");
            List<QualifiedName> tables = c.qualifiedNames("a table name");
            boolean cascade = dropBehavior();
            c.expectEnd();
            return new Change.DropTable(tables, ifExists, cascade);
        }
        if (c.accept("index")) return new ObjectParser(c).dropIndex();
        if (c.accept("view")) return new ObjectParser(c).dropView(false);
        if (c.acceptSeq("materialized", "view")) return new ObjectParser(c).dropView(true);
        if (c.accept("trigger")) return new ObjectParser(c).dropTrigger();
        if (c.acceptAny("function", "procedure", "routine", "aggregate") != null) return new ObjectParser(c).dropFunction();
        if (c.accept("type") || c.accept("domain")) return new ObjectParser(c).dropType();
        if (c.accept("sequence")) return new ObjectParser(c).sequence("drop");
        if (c.accept("schema")) return new ObjectParser(c).dropSchema();
        if (c.accept("extension")) return new ObjectParser(c).extension("drop");
        if (c.accept("database")) return new ObjectParser(c).database("drop");
        if (isRoleKind() || c.is("owned")) return privileges();
        return otherDdl("drop");
    }

    private boolean dropBehavior() {
        if (c.accept("cascade")) return true;
        c.accept("restrict");
        return false;
    }

    // ================================================================== TRUNCATE

    private Change truncate() {
        c.expect("truncate");
        c.accept("table");
        List<QualifiedName> tables = c.tableList();
        if (c.acceptAny("restart", "continue") != null) c.expect("identity");
        boolean cascade = dropBehavior();
        c.expectEnd();
        return new Change.Truncate(tables, cascade);
    }

    // ================================================================== other object kinds

    /**
     * CREATE/ALTER/DROP of a kind in {@link #OTHER_KINDS}. The table is filled in for policies
     * ({@code … name ON table}), triggers and rules ({@code ALTER TRIGGER / DROP RULE … ON table}),
     * extended statistics ({@code … FROM table}) and foreign tables (the table itself).
     */
    private Change otherDdl(String verb) {
        String kind = null;
        for (String k : OTHER_KINDS) {
            if (c.acceptSeq(k.split(" "))) {
                kind = k;
                break;
            }
        }
        if (kind == null) {
            Token t = c.peek();
            // CREATE OR REPLACE (or CREATE GLOBAL) with nothing after it: PostgreSQL's syntax error.
            if (t == null) throw c.syntax("expected what to " + verb);
            throw new Unmodelled(verb.toUpperCase(Locale.ROOT) + " " + t.text().toUpperCase(Locale.ROOT)
                    + " is not modelled");
        }
        kind = switch (kind) {
            case "trusted procedural language", "procedural language", "trusted language" -> "language";
            case "default conversion" -> "conversion";
            default -> kind;
        };
        QualifiedName table = null;
        switch (kind) {
            case "policy", "trigger", "rule" -> {
                if (verb.equals("drop")) c.acceptSeq("if", "exists");
                c.name("a " + kind + " name");
                if (c.accept("on")) table = c.qualifiedName("a table name");
                else if (!kind.equals("rule")) throw c.syntax("expected ON and the table");
            }
            case "statistics" -> {
                if (verb.equals("create")) {
                    int depth = 0;
                    for (int i = c.pos(); i < c.size(); i++) {
                        Token t = c.token(i);
                        if (t.kind() == Kind.LPAREN) depth++;
                        else if (t.kind() == Kind.RPAREN) depth--;
                        else if (depth == 0 && t.isKeyword("from")) {
                            c.seek(i + 1);
                            table = c.qualifiedName("a table name");
                            break;
                        }
                    }
                }
            }
            case "foreign table" -> {
                if (!verb.equals("alter") || !c.is("all")) {
                    c.acceptSeq("if", "not", "exists");
                    c.acceptSeq("if", "exists");
                    c.accept("only");
                    table = c.qualifiedName("a table name");
                }
            }
            default -> {}
        }
        c.seek(c.size());
        return new Change.OtherDdl(verb, kind, table);
    }
}
