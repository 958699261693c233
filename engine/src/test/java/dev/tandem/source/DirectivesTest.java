package dev.tandem.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DirectivesTest {
    private static final Function<String, String> WHERE = comment -> "V9__x.sql:4";

    @Test
    void ignoreListsRuleIdsOfLineAndBlockComments() {
        Directives d = Directives.of(List.of(" migrate:ignore rule-a, rule-b", " migrate:ignore rule-c "), WHERE);

        assertThat(d.ignoredRules()).containsExactlyInAnyOrder("rule-a", "rule-b", "rule-c");
        assertThat(d.fileIgnoredRules()).isEmpty();
        assertThat(d.annotations()).isEmpty();
    }

    @Test
    void ignoreFileIsKeptApartFromStatementSuppressions() {
        Directives d = Directives.of(List.of(" migrate:ignore-file set-not-null-scans-table"), WHERE);

        assertThat(d.fileIgnoredRules()).containsExactly("set-not-null-scans-table");
        assertThat(d.ignoredRules()).isEmpty();
    }

    @Test
    void otherWordsBecomeAnnotationsWithoutThePrefix() {
        Directives d = Directives.of(List.of(" migrate:backfill   lower(email)", " migrate:phase contract"), WHERE);

        assertThat(d.annotations()).containsExactly("backfill lower(email)", "phase contract");
    }

    @Test
    void aReasonAfterTwoDashesIsNotARuleId() {
        Directives d = Directives.of(List.of(" migrate:ignore rule-a -- the table has 10 rows"), WHERE);

        assertThat(d.ignoredRules()).containsExactly("rule-a");
    }

    @Test
    void commentsOfOtherToolsAndProseAreNotDirectives() {
        Directives d = Directives.of(List.of(" squawk-ignore ban-drop-column", " lint:ignore x",
                " atlas:nolint destructive", " migrate: users to the new table", " Migrate:ignore x",
                " TODO migrate:ignore x"), WHERE);

        assertThat(d).isEqualTo(Directives.NONE);
    }

    @Test
    void ignoreWithoutRuleIdSaysWhatToWrite() {
        assertThatThrownBy(() -> Directives.of(List.of(" migrate:ignore"), WHERE))
                .isInstanceOfSatisfying(TandemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).startsWith("V9__x.sql:4: ")
                            .contains("names no rule").contains("-- migrate:ignore rule-id");
                });
    }

    @Test
    void ruleIdWithSpacesOrCapitalsIsRefusedWithAKebabCaseSuggestion() {
        assertThatThrownBy(() -> Directives.of(List.of(" migrate:ignore Set Not Null"), WHERE))
                .isInstanceOf(TandemException.class)
                .hasMessageContaining("V9__x.sql:4")
                .hasMessageContaining("'Set Not Null' is not a rule id")
                .hasMessageContaining("-- migrate:ignore set-not-null");
        assertThatThrownBy(() -> Directives.of(List.of(" migrate:ignore rule_a"), WHERE))
                .hasMessageContaining("-- migrate:ignore rule-a");
        assertThatThrownBy(() -> Directives.of(List.of(" migrate:ignore rule-a,"), WHERE))
                .hasMessageContaining("an empty rule id");
    }

    @Test
    void upperCaseDirectiveNameIsRefused() {
        assertThatThrownBy(() -> Directives.of(List.of(" migrate:IGNORE rule-a"), WHERE))
                .isInstanceOf(TandemException.class)
                .hasMessageContaining("'migrate:IGNORE' is not a Tandem directive")
                .hasMessageContaining("-- migrate:ignore rule-a");
    }
}
