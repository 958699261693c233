package dev.tandem.classify.rules;

import dev.tandem.sql.AlterAction;
import dev.tandem.sql.TypeName;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@code ALTER COLUMN … TYPE} does to the stored data, from the column's current type (from
 * the schema model) and the new one. Checked on PostgreSQL 15 with {@code relfilenode} before and
 * after and {@code pg_stat_xact_user_tables.seq_scan}:
 * <ul>
 *   <li>no rewrite: varchar(n) → varchar(m ≥ n), varchar(n) → varchar / text, text → varchar,
 *       numeric(p,s) → numeric(p' ≥ p, s) or numeric, cidr → inet, xml → text, varbit(n) →
 *       varbit(m ≥ n), and timestamp / timestamptz / time / timetz / interval to an equal or larger
 *       precision (6 and none are the same); a CHECK on the column is still re-verified by a scan;</li>
 *   <li>no table rewrite but the column's indexes are rebuilt: text ↔ citext, and any change that
 *       gives the column another collation ({@code COLLATE …});</li>
 *   <li>rewrite of the table and every index: everything else, including varchar(n) → varchar(m &lt; n),
 *       text → varchar(n), numeric scale changes, precision decreases, char(n) → char(m), char →
 *       varchar and int → bigint;</li>
 *   <li>timestamp ↔ timestamptz (PG 12+): no table rewrite when the session TimeZone is UTC (any
 *       zero-offset zone), but the column's indexes are still rebuilt (another operator class);
 *       with any other TimeZone a rewrite.</li>
 * </ul>
 */
final class TypeChangeAnalyzer {
    private TypeChangeAnalyzer() {}

    enum Kind {
        /** Same type and modifiers: nothing changes. */
        SAME,
        /** Binary coercible: catalog only (indexes kept). */
        NO_REWRITE,
        /** No table rewrite, but the indexes on the column are rebuilt (text ↔ citext, collation). */
        INDEX_REBUILD,
        /** The same kind of type with a smaller limit or precision: rewrite, and old values may not fit. */
        NARROWING,
        /** timestamp ↔ timestamptz: rewrite unless the session TimeZone is UTC; indexes are rebuilt either way. */
        TIME_ZONE,
        /** A rewrite of the table and all its indexes. */
        REWRITE,
        /** The current type is not known (the model does not have the column): counts as a rewrite. */
        UNKNOWN
    }

    private static final Set<String> PRECISION_TYPES = Set.of("timestamp", "timestamptz", "time", "timetz", "interval");
    /** Precision 6 is the maximum for these types: {@code timestamp} and {@code timestamp(6)} are the same. */
    private static final int MAX_TIME_PRECISION = 6;

    static Kind classify(TypeName from, AlterAction.AlterColumnType change, String column) {
        if (from == null) return Kind.UNKNOWN;
        TypeName to = change.type();
        if (change.using() != null && !trivialUsing(change.using().text(), column, to)) return Kind.REWRITE;
        Kind k = compare(from, to);
        if (change.collation() != null && (k == Kind.SAME || k == Kind.NO_REWRITE)) return Kind.INDEX_REBUILD;
        return k;
    }

    private static Kind compare(TypeName from, TypeName to) {
        if (from.arrayDims() != to.arrayDims()) return Kind.REWRITE;
        if (from.isArray()) {
            // Array coercions go through a per-element function: only an identical type is free.
            return from.name().equals(to.name()) && from.modifiers().equals(to.modifiers()) ? Kind.SAME : Kind.REWRITE;
        }
        String f = from.name();
        String t = to.name();
        List<Integer> fm = from.modifiers();
        List<Integer> tm = to.modifiers();
        if (f.equals(t) && fm.equals(tm)) return Kind.SAME;
        if (f.equals("varchar") && t.equals("varchar")) return limit(fm, tm);
        if (f.equals("varchar") && t.equals("text")) return Kind.NO_REWRITE;
        if (f.equals("text") && t.equals("varchar")) return tm.isEmpty() ? Kind.NO_REWRITE : Kind.NARROWING;
        if (f.equals("varbit") && t.equals("varbit")) return limit(fm, tm);
        if (f.equals("char") && t.equals("char")) return tm.isEmpty() || fm.isEmpty() || tm.get(0) < fm.get(0) ? Kind.NARROWING : Kind.REWRITE;
        if (f.equals("numeric") && t.equals("numeric")) return numeric(fm, tm);
        if (f.equals("cidr") && t.equals("inet")) return Kind.NO_REWRITE;
        if (f.equals("xml") && t.equals("text")) return Kind.NO_REWRITE;
        if ((f.equals("text") && t.equals("citext")) || (f.equals("citext") && t.equals("text"))) return Kind.INDEX_REBUILD;
        if (PRECISION_TYPES.contains(f) && f.equals(t)) return precision(fm, tm);
        if ((f.equals("timestamp") && t.equals("timestamptz")) || (f.equals("timestamptz") && t.equals("timestamp"))) {
            return precision(fm, tm) == Kind.NARROWING ? Kind.NARROWING : Kind.TIME_ZONE;
        }
        // Everything else, including the same type with other modifiers (bit(n), …).
        return Kind.REWRITE;
    }

    /** varchar / varbit length: none means unlimited. */
    private static Kind limit(List<Integer> fm, List<Integer> tm) {
        if (tm.isEmpty()) return Kind.NO_REWRITE;
        if (fm.isEmpty()) return Kind.NARROWING;
        return tm.get(0) >= fm.get(0) ? Kind.NO_REWRITE : Kind.NARROWING;
    }

    /** numeric(p, s): a larger precision with the same scale, or no modifier at all, is free. */
    private static Kind numeric(List<Integer> fm, List<Integer> tm) {
        if (tm.isEmpty()) return Kind.NO_REWRITE;
        if (fm.isEmpty()) return Kind.NARROWING;
        int fp = fm.get(0);
        int fs = fm.size() > 1 ? fm.get(1) : 0;
        int tp = tm.get(0);
        int ts = tm.size() > 1 ? tm.get(1) : 0;
        if (ts == fs) return tp >= fp ? Kind.NO_REWRITE : Kind.NARROWING;
        // Another scale rounds or pads every value: a rewrite; fewer integer digits or a smaller scale
        // can also reject or round old values.
        return ts < fs || (tp - ts) < (fp - fs) ? Kind.NARROWING : Kind.REWRITE;
    }

    private static Kind precision(List<Integer> fm, List<Integer> tm) {
        int f = fm.isEmpty() ? MAX_TIME_PRECISION : Math.min(fm.get(0), MAX_TIME_PRECISION);
        int t = tm.isEmpty() ? MAX_TIME_PRECISION : Math.min(tm.get(0), MAX_TIME_PRECISION);
        if (t == f) return Kind.SAME;
        return t > f ? Kind.NO_REWRITE : Kind.NARROWING;
    }

    /** {@code USING col} or {@code USING col::newtype} is the implicit conversion; anything else computes. */
    private static boolean trivialUsing(String using, String column, TypeName to) {
        String u = using.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", "").replace("\"", "");
        String c = column.toLowerCase(Locale.ROOT);
        if (u.equals(c) || u.equals("(" + c + ")")) return true;
        String cast = c + "::";
        if (!u.startsWith(cast)) return false;
        String target = u.substring(cast.length());
        return target.equals(to.raw().toLowerCase(Locale.ROOT).replaceAll("\\s+", ""))
                || target.equals(to.display().replaceAll("\\s+", ""));
    }

    /** Zero-offset time zones: with one of these as TimeZone, timestamp ↔ timestamptz is catalog-only (PG 12+). */
    static boolean isUtc(String timeZone) {
        if (timeZone == null) return false;
        String z = timeZone.strip().toLowerCase(Locale.ROOT).replace("'", "");
        if (z.startsWith("etc/")) z = z.substring(4);
        return switch (z) {
            case "utc", "uct", "gmt", "gmt0", "gmt+0", "gmt-0", "zulu", "universal", "greenwich", "z", "utc0", "+00", "-00",
                 "+00:00", "-00:00", "0", "00:00", "interval '+00:00' hour to minute", "interval '0'" -> true;
            default -> false;
        };
    }
}
