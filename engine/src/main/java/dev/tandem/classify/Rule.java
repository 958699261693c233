package dev.tandem.classify;

/**
 * One hazard, named after it ({@code SetNotNullScansTable}), with a stable kebab-case id.
 * A rule looks at one statement in its context and reports findings, rewrites and scans through
 * the context; it never changes the schema model. Rules are stateless and thread-safe.
 */
public interface Rule {

    /** Stable kebab-case id used in findings, docs and {@code -- migrate:ignore <id>}. */
    String id();

    /** One line for the rule list in the README and {@code migrate rules}. */
    String summary();

    /** Examines {@code ctx.change()} and reports through {@link RuleContext#report}. */
    void check(RuleContext ctx);
}
