package dev.tandem.sql.internal;

import dev.tandem.sql.Token;
import dev.tandem.sql.Token.Kind;
import dev.tandem.sql.TypeName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses a type name (PostgreSQL's {@code Typename} production) at the cursor and folds aliases to
 * the canonical names listed on {@link TypeName}.
 *
 * <p>Choices: {@code char}/{@code character} and {@code bit} without a length get the modifier
 * {@code 1} they mean (PostgreSQL stores and prints {@code character(1)}, {@code bit(1)}), while
 * {@code bpchar} and {@code varchar} without one stay unlimited; {@code arrayDims} counts the
 * brackets as written, although PostgreSQL treats {@code int[][]} and {@code int[]} as one type;
 * {@code float(p)} becomes {@code real} (p ≤ 24) or {@code double precision} and loses
 * its modifier, as PostgreSQL does; modifiers that are not integers ({@code geometry(Point,4326)})
 * are left out of {@code modifiers} but kept in {@code raw}; quoted names are kept exactly and never
 * folded to a built-in ({@code "char"}, the one-byte internal type, stays {@code "char"} with its
 * quotes so it cannot be mistaken for {@code char(n)}); {@code pg_catalog.} is dropped only in
 * front of a name that is then canonicalised or is a plain built-in name.
 */
public final class TypeParser {
    private TypeParser() {}

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("int", "integer"), Map.entry("int4", "integer"), Map.entry("integer", "integer"),
            Map.entry("int8", "bigint"), Map.entry("bigint", "bigint"),
            Map.entry("int2", "smallint"), Map.entry("smallint", "smallint"),
            Map.entry("serial", "serial"), Map.entry("serial4", "serial"),
            Map.entry("bigserial", "bigserial"), Map.entry("serial8", "bigserial"),
            Map.entry("smallserial", "smallserial"), Map.entry("serial2", "smallserial"),
            Map.entry("varchar", "varchar"), Map.entry("bpchar", "char"),
            Map.entry("bool", "boolean"), Map.entry("boolean", "boolean"),
            Map.entry("float8", "double precision"), Map.entry("float4", "real"), Map.entry("real", "real"),
            Map.entry("decimal", "numeric"), Map.entry("dec", "numeric"), Map.entry("numeric", "numeric"),
            Map.entry("timestamptz", "timestamptz"), Map.entry("timetz", "timetz"),
            Map.entry("varbit", "varbit"));

    /** Parses a type at the cursor. */
    public static TypeName parse(TokenCursor c) {
        int start = c.pos();
        Token first = c.peek();
        if (first == null || !first.isIdentifier()) throw c.syntax("expected a type name");
        if (first.kind() == Kind.IDENT) c.accept("setof");
        first = c.peek();
        // Reserved keywords are never type names (ADD COLUMN a NOT NULL has no type).
        if (first == null || !first.isIdentifier()
                || (first.kind() == Kind.IDENT && TokenCursor.RESERVED.contains(first.text()))) {
            throw c.syntax("expected a type name");
        }
        String name;
        List<Integer> mods = new ArrayList<>();
        if (first.kind() == Kind.QUOTED_IDENT) {
            c.next();
            name = first.text().equals("char") ? "\"char\"" : first.text();
            name = qualifiedRest(c, name, true);
            modifiers(c, mods);
        } else {
            String w = first.text();
            switch (w) {
                case "double" -> {
                    c.next();
                    if (!c.accept("precision")) {
                        name = qualifiedRest(c, "double", false);
                        modifiers(c, mods);
                    } else {
                        name = "double precision";
                    }
                }
                case "character", "char", "nchar", "national" -> {
                    c.next();
                    if (w.equals("national")) {
                        if (c.acceptAny("character", "char") == null) throw c.unexpected("CHARACTER");
                    }
                    name = c.accept("varying") ? "varchar" : "char";
                    modifiers(c, mods);
                    // SQL: CHARACTER without a length is CHARACTER(1); format_type prints character(1).
                    if (name.equals("char") && mods.isEmpty()) mods.add(1);
                }
                case "bit" -> {
                    c.next();
                    name = c.accept("varying") ? "varbit" : "bit";
                    modifiers(c, mods);
                    // BIT without a length is BIT(1), as for CHARACTER.
                    if (name.equals("bit") && mods.isEmpty()) mods.add(1);
                }
                case "timestamp", "time" -> {
                    c.next();
                    modifiers(c, mods);
                    boolean tz = false;
                    if (c.isSeq("with", "time", "zone")) {
                        c.acceptSeq("with", "time", "zone");
                        tz = true;
                    } else {
                        c.acceptSeq("without", "time", "zone");
                    }
                    name = tz ? w + "tz" : w;
                }
                case "interval" -> {
                    c.next();
                    if (c.acceptAny("year", "month", "day", "hour", "minute", "second") != null) {
                        if (c.accept("to")) {
                            if (c.acceptAny("month", "hour", "minute", "second") == null) throw c.unexpected("an interval field");
                        }
                    }
                    modifiers(c, mods);
                    name = "interval";
                }
                case "float" -> {
                    c.next();
                    modifiers(c, mods);
                    name = !mods.isEmpty() && mods.get(0) <= 24 ? "real" : "double precision";
                    mods.clear();
                }
                default -> {
                    c.next();
                    name = qualifiedRest(c, w, false);
                    modifiers(c, mods);
                }
            }
        }
        // %TYPE / %ROWTYPE references (function arguments).
        if (c.isOp("%") && c.peek(1) != null && c.peek(1).kind() == Kind.IDENT) {
            c.next();
            c.next();
        }
        int dims = 0;
        while (true) {
            if (c.is(Kind.LBRACKET)) {
                c.next();
                if (c.is(Kind.NUMBER)) c.next();
                c.expect(Kind.RBRACKET);
                dims++;
            } else if (c.is("array")) {
                c.next();
                if (c.is(Kind.LBRACKET)) {
                    c.next();
                    if (c.is(Kind.NUMBER)) c.next();
                    c.expect(Kind.RBRACKET);
                }
                dims++;
            } else {
                break;
            }
        }
        return new TypeName(name, mods, dims, c.text(start, c.pos()));
    }

    /** Reads {@code .b.c} after a first name part and applies alias folding to unqualified names. */
    private static String qualifiedRest(TokenCursor c, String first, boolean quoted) {
        List<String> parts = new ArrayList<>(3);
        parts.add(first);
        boolean anyQuoted = quoted;
        while (c.is(Kind.DOT) && c.peek(1) != null && c.peek(1).isIdentifier()) {
            c.next();
            Token t = c.next();
            anyQuoted |= t.kind() == Kind.QUOTED_IDENT;
            parts.add(t.text());
        }
        if (parts.size() == 1) {
            return quoted ? first : ALIASES.getOrDefault(first, first);
        }
        String last = parts.get(parts.size() - 1);
        String schema = parts.get(parts.size() - 2);
        if (schema.equals("pg_catalog") && !anyQuoted) {
            return ALIASES.getOrDefault(last, last);
        }
        return schema + "." + last;
    }

    private static void modifiers(TokenCursor c, List<Integer> mods) {
        if (!c.is(Kind.LPAREN)) return;
        c.next();
        while (!c.atEnd() && !c.is(Kind.RPAREN)) {
            Token t = c.next();
            if (t.kind() == Kind.NUMBER && (c.is(Kind.COMMA) || c.is(Kind.RPAREN))) {
                try {
                    mods.add(Integer.parseInt(t.text()));
                } catch (NumberFormatException e) {
                    // not an integer modifier: kept in raw only
                }
            } else if (t.kind() == Kind.LPAREN) {
                c.seek(c.pos() - 1);
                c.skipParens();
            }
        }
        c.expect(Kind.RPAREN);
    }
}
