package dev.tandem.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Regressions found by {@link MutationRobustnessTest}: each was a crash (exit 4) instead of a syntax error. */
class ParserRobustnessTest {
    private final SqlParser parser = new SqlParser();

    /** Was a NullPointerException in StatementParser.otherDdl: nothing after CREATE OR REPLACE. */
    @ParameterizedTest
    @ValueSource(strings = {"CREATE OR REPLACE", "CREATE OR REPLACE;", "CREATE OR REPLACE -- nothing"})
    void statementThatStopsAfterItsVerb(String sql) {
        assertThatThrownBy(() -> parser.parse(sql)).isInstanceOfSatisfying(SqlSyntaxException.class, e -> {
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.column()).isPositive();
        });
    }

    /** Control characters from a binary file are escaped in the message, not printed raw. */
    @Test
    void controlCharacterInAMessage() {
        assertThatThrownBy(() -> parser.parse("\u0001\u0002 x"))
                .isInstanceOfSatisfying(SqlSyntaxException.class,
                        e -> assertThat(e.detail()).isEqualTo("'\\u0001' is not a PostgreSQL command"));
    }
}
