package dev.tandem.classify.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NotNullAnalyzerTest {

    @Test
    void recognisesIsNotNullConjuncts() {
        assertThat(NotNullAnalyzer.impliesNotNull("title IS NOT NULL", "title")).isTrue();
        assertThat(NotNullAnalyzer.impliesNotNull("((title IS NOT NULL))", "title")).isTrue();
        assertThat(NotNullAnalyzer.impliesNotNull("CHECK ((title IS NOT NULL)) NOT VALID", "title")).isTrue();
        assertThat(NotNullAnalyzer.impliesNotNull("\"title\" is not null and length(title) > 0", "title")).isTrue();
        assertThat(NotNullAnalyzer.impliesNotNull("(length(title) > 0) AND (title IS NOT NULL)", "title")).isTrue();
    }

    @Test
    void rejectsWhatDoesNotProveIt() {
        assertThat(NotNullAnalyzer.impliesNotNull("title IS NOT NULL OR body IS NOT NULL", "title")).isFalse();
        assertThat(NotNullAnalyzer.impliesNotNull("subtitle IS NOT NULL", "title")).isFalse();
        assertThat(NotNullAnalyzer.impliesNotNull("title IS NULL", "title")).isFalse();
        assertThat(NotNullAnalyzer.impliesNotNull("(a AND title IS NOT NULL) OR b", "title")).isFalse();
    }
}
