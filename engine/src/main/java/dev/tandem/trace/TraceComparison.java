package dev.tandem.trace;

import dev.tandem.classify.Classification;
import dev.tandem.classify.TableLock;
import dev.tandem.sql.LockMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where the rules and PostgreSQL disagree about one statement: the strongest lock per
 * pre-existing table, the tables rewritten, the tables read in full. What the rules do not model
 * is not a disagreement: locks that block neither reads nor writes (a view's query, a foreign key's
 * check, a SQL function's body) on tables the rules name no lock for, full reads under a lock that lets writes go on (a
 * query's, whose plan decides), and the full read that every rewrite is.
 */
public final class TraceComparison {
    private TraceComparison() {}

    /**
     * The differences, each a sentence for a person; empty when they agree.
     *
     * @param existing the relations the scratch database had before the statement's migration: what
     *                 the rules say about others (a view a repeatable migration replaces, created by
     *                 it the first time here) cannot be observed
     */
    public static List<String> differences(Classification rules, TraceFacts traced, Set<String> existing) {
        return differences(rules, traced, existing, null);
    }

    /**
     * @param modelled the tables the rules' schema model knew, or {@code null} for all: a table
     *                 PostgreSQL touched that the rules neither name nor knew (made inside a DO
     *                 block, reached through a domain or a function) is one they could not have
     *                 named, so it is left out
     */
    public static List<String> differences(Classification rules, TraceFacts traced, Set<String> existing, Set<String> modelled) {
        List<String> out = new ArrayList<>();
        if (traced.error() != null) return out; // nothing observed to compare
        Set<String> named = new TreeSet<>();
        rules.locks().forEach(l -> named.add(l.table()));
        named.addAll(rules.rewrites());
        named.addAll(rules.scans());
        java.util.function.Predicate<String> unknowable = t -> modelled != null && !modelled.contains(t) && !named.contains(t);
        Map<String, LockMode> seenLocks = strongest(traced.locks());
        seenLocks.keySet().removeIf(unknowable);
        if (traced.how() == TraceFacts.How.ROLLED_BACK) {
            Map<String, LockMode> ruled = strongest(rules.locks());
            ruled.keySet().retainAll(existing);
            Map<String, LockMode> seen = new TreeMap<>(seenLocks);
            // weak locks on tables the rules name none for are not compared: they block no reads or
            // writes (a SQL function's body checked when it is created locks what it names)
            seen.entrySet().removeIf(e -> e.getValue().compareTo(LockMode.SHARE_UPDATE_EXCLUSIVE) < 0
                    && !ruled.containsKey(e.getKey()));
            Set<String> tables = new TreeSet<>(ruled.keySet());
            tables.addAll(seen.keySet());
            for (String t : tables) {
                LockMode r = ruled.get(t);
                LockMode s = seen.get(t);
                if (r == s) continue;
                out.add("lock on " + t + ": PostgreSQL took " + (s == null ? "none" : s.pgName()) + ", the rules say "
                        + (r == null ? "none" : r.pgName()));
            }
        }
        Set<String> ruledRewrites = new TreeSet<>(rules.rewrites());
        ruledRewrites.retainAll(existing);
        Set<String> seenRewrites = new TreeSet<>(traced.rewrites());
        seenRewrites.removeIf(unknowable);
        if (!ruledRewrites.equals(seenRewrites)) {
            out.add("rewrites: PostgreSQL rewrote " + list(seenRewrites) + ", the rules say " + list(ruledRewrites));
        }
        if (traced.how() == TraceFacts.How.ROLLED_BACK) {
            Set<String> ruledScans = new TreeSet<>(rules.scans());
            ruledScans.retainAll(existing);
            ruledScans.removeAll(rules.rewrites());
            Set<String> seenScans = new TreeSet<>(traced.scans());
            seenScans.removeAll(traced.rewrites());
            seenScans.removeIf(unknowable);
            // a query's reads are not modelled: whether a filtered UPDATE or a view's SELECT reads a
            // table in full depends on its plan (indexes, statistics); only reads under a lock that
            // blocks writes (SHARE or stronger: a validation, an index build) are compared
            seenScans.removeIf(t -> !ruledScans.contains(t)
                    && seenLocks.getOrDefault(t, LockMode.ACCESS_SHARE).compareTo(LockMode.SHARE) < 0);
            if (!seenScans.equals(ruledScans)) {
                out.add("full reads: PostgreSQL read " + list(seenScans) + " in full, the rules say " + list(ruledScans));
            }
        }
        return out;
    }

    private static Map<String, LockMode> strongest(List<TableLock> locks) {
        Map<String, LockMode> out = new TreeMap<>();
        for (TableLock l : locks) out.merge(l.table(), l.mode(), LockMode::stronger);
        return out;
    }

    private static String list(java.util.Collection<String> tables) {
        return tables.isEmpty() ? "none" : String.join(", ", tables);
    }
}
