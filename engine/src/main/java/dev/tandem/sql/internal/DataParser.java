package dev.tandem.sql.internal;

import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.Token;
import dev.tandem.sql.Token.Kind;
import java.util.List;
import java.util.Set;

/** UPDATE, DELETE, INSERT, MERGE, COPY, queries and WITH. */
final class DataParser {
    private final TokenCursor c;

    DataParser(TokenCursor c) {
        this.c = c;
    }

    /** At UPDATE (possibly after a WITH clause). */
    Change update() {
        c.expect("update");
        c.accept("only");
        QualifiedName table = c.qualifiedName("a table name");
        c.acceptOp("*");
        String alias = alias("set");
        if (!c.accept("set")) throw c.syntax("expected SET");
        String set = clause(Set.of("from", "where", "returning"));
        if (set.isEmpty()) throw c.syntax("expected assignments after SET");
        String from = c.accept("from") ? required(clause(Set.of("where", "returning")), "FROM") : null;
        String where = c.accept("where") ? required(clause(Set.of("returning")), "WHERE") : null;
        returning();
        return new Change.Update(table, alias, set, from, where);
    }

    /** At DELETE (possibly after a WITH clause). */
    Change delete() {
        c.expect("delete");
        if (!c.accept("from")) throw c.syntax("expected FROM");
        c.accept("only");
        QualifiedName table = c.qualifiedName("a table name");
        c.acceptOp("*");
        alias("using", "where", "returning");
        String using = c.accept("using") ? required(clause(Set.of("where", "returning")), "USING") : null;
        String where = c.accept("where") ? required(clause(Set.of("returning")), "WHERE") : null;
        returning();
        return new Change.Delete(table, using, where);
    }

    /** At INSERT. {@code query} is false for VALUES and DEFAULT VALUES. */
    Change insert() {
        c.expect("insert");
        if (!c.accept("into")) throw c.syntax("expected INTO");
        QualifiedName table = c.qualifiedName("a table name");
        if (c.accept("as")) c.name("an alias");
        if (c.is(Kind.LPAREN) && !c.is(1, "select") && !c.is(1, "with") && !c.is(1, "values")) c.skipParens();
        if (c.accept("overriding")) {
            c.acceptAny("system", "user");
            c.expect("value");
        }
        boolean query;
        if (c.isSeq("default", "values") || c.is("values")) {
            query = false;
        } else if (c.isAny("select", "with", "table") || c.is(Kind.LPAREN)) {
            query = true;
        } else {
            throw c.syntax("expected VALUES, DEFAULT VALUES or a query");
        }
        c.seek(c.size());
        return new Change.Insert(table, query);
    }

    /** At MERGE. */
    Change merge() {
        c.expect("merge");
        if (!c.accept("into")) throw c.syntax("expected INTO");
        c.accept("only");
        QualifiedName table = c.qualifiedName("a table name");
        if (findTopLevel("using", c.pos()) < 0) throw c.syntax("expected USING");
        c.seek(c.size());
        return new Change.Merge(table);
    }

    /** At COPY. */
    Change copy() {
        c.expect("copy");
        c.accept("binary");
        QualifiedName table = null;
        if (c.is(Kind.LPAREN)) {
            c.skipParens();
        } else {
            table = c.qualifiedName("a table name");
            if (c.is(Kind.LPAREN)) c.skipParens();
        }
        boolean from;
        if (c.accept("from")) from = true;
        else if (c.accept("to")) from = false;
        else throw c.syntax("expected FROM or TO");
        c.seek(c.size());
        return new Change.Copy(table, from);
    }

    /** A query statement (SELECT, VALUES, TABLE, SHOW, EXPLAIN, a parenthesised query) as a whole. */
    Change query() {
        if (c.is("select")) {
            int into = findTopLevel("into", 0);
            if (into > 0) return selectInto(into);
        }
        Change q = new Change.Query(c.textToEnd(0), ExprReader.expr(c, 0, c.size()));
        c.seek(c.size());
        return q;
    }

    /** SELECT … INTO [TEMP|UNLOGGED] [TABLE] new_table …: creates a table (like CREATE TABLE AS). */
    private Change selectInto(int into) {
        c.seek(into + 1);
        boolean temporary = false;
        boolean unlogged = false;
        c.acceptAny("global", "local");
        if (c.acceptAny("temp", "temporary") != null) temporary = true;
        else if (c.accept("unlogged")) unlogged = true;
        c.accept("table");
        QualifiedName name = c.qualifiedName("a table name");
        String text = c.textToEnd(0);
        c.seek(c.size());
        return new Change.CreateTable(name, false, temporary, unlogged, List.of(), List.of(), null, null, null,
                List.of(), List.of(), text, null, null);
    }

    /** At WITH: the statement the CTEs belong to decides the change. */
    Change with() {
        c.expect("with");
        c.accept("recursive");
        do {
            c.name("a query name");
            if (c.is(Kind.LPAREN)) c.skipParens();
            if (!c.accept("as")) throw c.syntax("expected AS");
            c.accept("not");
            c.accept("materialized");
            if (!c.is(Kind.LPAREN)) throw c.syntax("expected '(' and the query");
            if (c.is(1, "insert") || c.is(1, "update") || c.is(1, "delete") || c.is(1, "merge")) {
                throw new Unmodelled("WITH with a data-modifying query is not modelled");
            }
            c.skipParens();
            // SEARCH … SET x / CYCLE … SET x [TO v DEFAULT w] USING p
            while (c.isAny("search", "cycle")) {
                while (!c.atEnd() && !c.is(Kind.COMMA) && !c.isAny("select", "values", "table", "update", "delete",
                        "insert", "merge")) {
                    c.next();
                }
            }
        } while (c.accept(Kind.COMMA));
        Token main = c.peek();
        if (main == null) throw c.syntax("expected a statement after WITH");
        if (main.isKeyword("update")) return update();
        if (main.isKeyword("delete")) return delete();
        if (main.isKeyword("insert")) return insert();
        if (main.isKeyword("merge")) return merge();
        if (main.isKeyword("select") || main.isKeyword("values") || main.isKeyword("table") || main.kind() == Kind.LPAREN) {
            Change q = new Change.Query(c.textToEnd(0), ExprReader.expr(c, 0, c.size()));
            c.seek(c.size());
            return q;
        }
        throw c.syntax("expected SELECT, INSERT, UPDATE, DELETE or MERGE after WITH");
    }

    /** At EXPLAIN: a query, unless ANALYZE runs a data-changing statement. */
    Change explain() {
        c.expect("explain");
        boolean analyze = false;
        if (c.is(Kind.LPAREN)) {
            analyze = new ObjectParser(c).utilityOptions().stream().anyMatch(o -> o.equals("analyze") || o.equals("analyse"));
        } else {
            while (c.isAny("analyze", "analyse", "verbose")) {
                if (!c.is("verbose")) analyze = true;
                c.next();
            }
        }
        if (analyze && (c.isAny("insert", "update", "delete", "merge", "create", "execute")
                || (c.is("with") && findTopLevelAny(Set.of("insert", "update", "delete", "merge"), c.pos()) >= 0))) {
            throw new Unmodelled("EXPLAIN ANALYZE runs the statement it explains");
        }
        Change q = new Change.Query(c.textToEnd(0), ExprReader.expr(c, 0, c.size()));
        c.seek(c.size());
        return q;
    }

    // ------------------------------------------------------------------ helpers

    private String required(String clause, String keyword) {
        if (clause.isEmpty()) throw c.syntax("expected something after " + keyword);
        return clause;
    }

    private void returning() {
        if (c.accept("returning")) {
            if (c.atEnd()) throw c.syntax("expected an output list after RETURNING");
            c.seek(c.size());
        }
    }

    /** An optional [AS] alias before one of {@code next}. */
    private String alias(String... next) {
        if (c.accept("as")) return c.name("an alias");
        if (c.isName() && !c.isAny(next)) return c.next().text();
        return null;
    }

    /**
     * Text from the cursor up to one of {@code stops} at depth 0 (parentheses, CASE … END), moving
     * the cursor there. {@code IS [NOT] DISTINCT FROM} does not stop at its FROM.
     */
    private String clause(Set<String> stops) {
        int from = c.pos();
        int depth = 0;
        while (!c.atEnd()) {
            Token t = c.peek();
            switch (t.kind()) {
                case LPAREN, LBRACKET -> depth++;
                case RPAREN, RBRACKET -> depth--;
                case IDENT -> {
                    String w = t.text();
                    if (w.equals("case")) depth++;
                    else if (w.equals("end") && depth > 0) depth--;
                    else if (depth == 0 && stops.contains(w)
                            && !(w.equals("from") && c.pos() > 0 && c.token(c.pos() - 1).isKeyword("distinct"))) {
                        return c.text(from, c.pos());
                    }
                }
                default -> {}
            }
            c.next();
        }
        return c.text(from, c.pos());
    }

    private int findTopLevel(String kw, int from) {
        return findTopLevelAny(Set.of(kw), from);
    }

    private int findTopLevelAny(Set<String> kws, int from) {
        int depth = 0;
        for (int i = from; i < c.size(); i++) {
            Token t = c.token(i);
            switch (t.kind()) {
                case LPAREN, LBRACKET -> depth++;
                case RPAREN, RBRACKET -> depth--;
                case IDENT -> {
                    if (depth == 0 && kws.contains(t.text())) return i;
                }
                default -> {}
            }
        }
        return -1;
    }
}
