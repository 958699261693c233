package dev.tandem.classify;

/**
 * What a rule says about a statement.
 *
 * @param rule     the rule's stable kebab-case id (used in docs and {@code -- migrate:ignore})
 * @param severity the class this finding gives the statement
 * @param message  what happens, in the user's terms: lock, table, rewrite or scan, who is blocked
 * @param fix      what to do instead (the online recipe), never empty
 */
public record Finding(String rule, StatementClass severity, String message, String fix) {}
