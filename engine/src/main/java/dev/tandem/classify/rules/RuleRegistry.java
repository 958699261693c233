package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every rule Tandem applies, in the order their findings are listed: group A (columns, types,
 * constraints, domains) then group B (indexes, tables, partitions, data, maintenance,
 * transactions, enums, review). {@code migrate rules} lists them with their summaries.
 */
public final class RuleRegistry {
    private RuleRegistry() {}

    public static List<Rule> all() {
        return Stream.concat(RuleGroupA.rules().stream(), RuleGroupB.rules().stream()).toList();
    }
}
