package dev.tandem.classify.rules;

import dev.tandem.catalog.ColumnInfo;
import dev.tandem.catalog.ConstraintInfo;
import dev.tandem.catalog.TableInfo;
import dev.tandem.classify.PgVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether the schema already guarantees that a column holds no NULLs, so that {@code SET NOT NULL}
 * (or a primary key over the column) does not have to scan the table.
 *
 * <p>Since PostgreSQL 12, {@code SET NOT NULL} skips its scan when a <em>validated</em> CHECK
 * constraint proves the column non-null; Tandem recognises a CHECK whose top-level AND-conjuncts
 * include {@code col IS NOT NULL} (the recipe's {@code CHECK (col IS NOT NULL)}). A NOT VALID one
 * proves nothing.
 */
final class NotNullAnalyzer {
    private NotNullAnalyzer() {}

    /** The column is NOT NULL in the model already. */
    static boolean declaredNotNull(Optional<TableInfo> table, String column) {
        return table.flatMap(t -> t.column(column)).map(ColumnInfo::notNull).orElse(false);
    }

    /** A validated CHECK (col IS NOT NULL) that lets SET NOT NULL skip its scan (PG 12+). */
    static Optional<ConstraintInfo> provingCheck(Optional<TableInfo> table, String column, PgVersion version) {
        if (table.isEmpty() || !version.atLeast(12)) return Optional.empty();
        return table.get().constraints().stream()
                .filter(c -> c.kind() == ConstraintInfo.Kind.CHECK && c.validated() && c.check() != null)
                .filter(c -> impliesNotNull(c.check().text(), column))
                .findFirst();
    }

    /** An unvalidated CHECK (col IS NOT NULL), for advice ("validate it first"). */
    static Optional<ConstraintInfo> unvalidatedCheck(Optional<TableInfo> table, String column) {
        if (table.isEmpty()) return Optional.empty();
        return table.get().constraints().stream()
                .filter(c -> c.kind() == ConstraintInfo.Kind.CHECK && !c.validated() && c.check() != null)
                .filter(c -> impliesNotNull(c.check().text(), column))
                .findFirst();
    }

    /** Declared NOT NULL, or proven by a validated CHECK on PG 12+. */
    static boolean provenNotNull(Optional<TableInfo> table, String column, PgVersion version) {
        return declaredNotNull(table, column) || provingCheck(table, column, version).isPresent();
    }

    static boolean impliesNotNull(String checkText, String column) {
        String s = normalise(checkText);
        if (s.startsWith("check")) s = stripParens(s.substring(5).strip());
        if (s.endsWith(" not valid")) s = s.substring(0, s.length() - " not valid".length()).strip();
        String c = column.toLowerCase(Locale.ROOT);
        for (String conjunct : conjuncts(stripParens(s))) {
            String x = stripParens(conjunct.strip()).replace("\"", "");
            if (x.equals(c + " is not null") || x.equals("(" + c + ") is not null")) return true;
        }
        return false;
    }

    private static String normalise(String s) {
        StringBuilder sb = new StringBuilder();
        boolean quoted = false;
        for (char ch : s.strip().toCharArray()) {
            if (ch == '"') quoted = !quoted;
            sb.append(quoted ? ch : Character.toLowerCase(ch));
        }
        return sb.toString().replaceAll("\\s+", " ");
    }

    /** Removes parentheses that enclose the whole expression. */
    private static String stripParens(String s) {
        String x = s.strip();
        while (x.startsWith("(") && x.endsWith(")") && enclosing(x)) x = x.substring(1, x.length() - 1).strip();
        return x;
    }

    private static boolean enclosing(String x) {
        int depth = 0;
        for (int i = 0; i < x.length(); i++) {
            if (x.charAt(i) == '(') depth++;
            if (x.charAt(i) == ')') depth--;
            if (depth == 0 && i < x.length() - 1) return false;
        }
        return true;
    }

    /** Splits on AND at parenthesis depth 0. */
    private static List<String> conjuncts(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '(') depth++;
            else if (ch == ')') depth--;
            else if (depth == 0 && s.startsWith(" and ", i)) {
                out.add(s.substring(start, i));
                start = i + 5;
                i += 4;
            }
        }
        out.add(s.substring(start));
        return out;
    }
}
