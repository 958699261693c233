package dev.tandem.plan;

import java.util.Locale;

/**
 * The phases of a release (DESIGN.md), in the order they run. Between {@link #BACKFILL} and
 * {@link #CONTRACT} is the gate: the new application version is fully rolled out and the old one
 * is gone. Everything before the gate keeps both versions working and can be rolled back.
 */
public enum Phase {
    /** Before the new app version deploys: additive, backward compatible, online DDL. */
    EXPAND("expand"),
    /** Batched, throttled, resumable data changes; both app versions still run. */
    BACKFILL("backfill"),
    /** After the deploy: drops, tightened constraints, work the old app version would not survive. */
    CONTRACT("contract");

    private final String id;

    Phase(String id) {
        this.id = id;
    }

    /** The name used in JSON ({@code "phase": "expand"}) and in reports. */
    public String id() {
        return id;
    }

    public static Phase fromId(String id) {
        String s = id.trim().toLowerCase(Locale.ROOT);
        for (Phase p : values()) {
            if (p.id.equals(s)) return p;
        }
        throw new IllegalArgumentException("unknown phase '" + id + "': expected one of expand, backfill, contract");
    }

    @Override
    public String toString() {
        return id;
    }
}
