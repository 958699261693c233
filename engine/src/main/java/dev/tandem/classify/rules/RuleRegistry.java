package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import java.util.List;

/** Every rule Tandem applies, in the order their findings are listed. */
public final class RuleRegistry {
    private RuleRegistry() {}

    public static List<Rule> all() {
        return List.of();
    }
}
