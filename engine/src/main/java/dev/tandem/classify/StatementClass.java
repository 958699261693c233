package dev.tandem.classify;

import java.util.Locale;

/**
 * The five classes of a statement (DESIGN.md), in order of severity: a migration's class is its
 * most severe statement's.
 */
public enum StatementClass {
    /** Old and new app both work; brief or weak lock; no rewrite, no scan under a blocking lock. */
    COMPATIBLE("compatible"),
    /** Backward compatible, but blocks traffic as written; Tandem runs an equivalent online form. */
    ONLINE_REWRITE("online-rewrite"),
    /** Breaks the running app version; Tandem splits it into expand, backfill and contract. */
    EXPAND_CONTRACT("expand-contract"),
    /** Not understood statically: needs a human or a traced plan. */
    REVIEW("review"),
    /** No known online form: refused by default. */
    BLOCKING("blocking");

    private final String id;

    StatementClass(String id) {
        this.id = id;
    }

    /** The kebab-case name used in JSON, SARIF, docs and {@code --fail-on}. */
    public String id() {
        return id;
    }

    public boolean atLeast(StatementClass other) {
        return compareTo(other) >= 0;
    }

    public static StatementClass max(StatementClass a, StatementClass b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Tandem can carry it out automatically (compatible, online-rewrite, expand-contract). */
    public boolean automatic() {
        return compareTo(EXPAND_CONTRACT) <= 0;
    }

    public static StatementClass fromId(String id) {
        String s = id.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (StatementClass c : values()) {
            if (c.id.equals(s)) return c;
        }
        throw new IllegalArgumentException("unknown class '" + id + "': expected one of compatible, online-rewrite, expand-contract, review, blocking");
    }

    @Override
    public String toString() {
        return id;
    }
}
