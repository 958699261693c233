package dev.tandem.sql;

import static dev.tandem.sql.ParserTesting.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ParserErrorTest {

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", quoteCharacter = '`', value = {
        "SELEC 1                       => 1 => 1 => 'SELEC' is not a PostgreSQL command",
        "ALTR TABLE t ADD a int        => 1 => 1 => 'ALTR' is not a PostgreSQL command",
        "\\n\\n   foo bar              => 3 => 4 => 'foo' is not a PostgreSQL command",
        "-- comment\\nUPSERT INTO t    => 2 => 1 => 'UPSERT' is not a PostgreSQL command",
        "123                           => 1 => 1 => '123' is not a PostgreSQL command",
        "'text'                        => 1 => 1 => ''text'' is not a PostgreSQL command",
        "\\\\d users                   => 1 => 1 => '\\' is not a PostgreSQL command",
        "\"select\" 1                  => 1 => 1 => '\"select\"' is not a PostgreSQL command",
        "GO                            => 1 => 1 => 'GO' is not a PostgreSQL command",
    })
    void notPostgres(String sql, int line, int column, String detail) {
        assertThatThrownBy(() -> parse(sql.replace("\\n", "\n").replace("\\\\", "\\")))
                .isInstanceOfSatisfying(SqlSyntaxException.class, e -> {
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.column()).isEqualTo(column);
                    assertThat(e.detail()).isEqualTo(detail);
                });
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", quoteCharacter = '`', value = {
        "ALTER TABLE;                           => 1 => 12",
        "ALTER TABLE                            => 1 => 12",
        "ALTER TABLE t                          => 1 => 14",
        "ALTER TABLE t ADD CHECK (a > 0         => 1 => 25",
        "SELECT (1))                            => 1 => 11",
        "SELECT a[1 FROM t                      => 1 => 9",
        "CREATE INDEX ON (a)                    => 1 => 17",
        "CREATE INDEX i ON t a                  => 1 => 21",
        "DROP TABLE                             => 1 => 11",
        "DROP TABLE IF EXISTS ;                 => 1 => 21",
        "CREATE TABLE (a int)                   => 1 => 14",
        "SELECT 1; SELECT 2                     => 1 => 9",
        "ALTER TABLE t ADD COLUMN               => 1 => 25",
        "ALTER TABLE t ADD COLUMN a             => 1 => 27",
        "ALTER TABLE t RENAME COLUMN a TO       => 1 => 33",
        "ALTER TABLE t ALTER COLUMN a TYPE      => 1 => 34",
        "UPDATE SET a = 1                       => 1 => 14",
        "UPDATE t SET                           => 1 => 13",
        "TRUNCATE                               => 1 => 9",
        "CREATE                                 => 1 => 7",
        "LOCK TABLE t IN MODE                   => 1 => 21",
        "CREATE TYPE t AS ENUM (1, 2)           => 1 => 24",
        "ALTER TYPE t ADD VALUE x               => 1 => 24",
        "ALTER TABLE t ADD COLUMN a NOT NULL    => 1 => 28",
        "ALTER TABLE t ALTER COLUMN a SET       => 1 => 33",
        "ALTER TABLE t ALTER COLUMN a           => 1 => 29",
        "ALTER TABLE t ALTER COLUMN a, DROP b   => 1 => 29",
        "UPDATE t SET a = 1 WHERE               => 1 => 25",
        "UPDATE t SET a = 1 FROM WHERE b        => 1 => 25",
        "DELETE FROM t WHERE RETURNING *        => 1 => 21",
    })
    void malformedModelledCommands(String sql, int line, int column) {
        assertThatThrownBy(() -> parse(sql)).isInstanceOfSatisfying(SqlSyntaxException.class, e -> {
            assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
            assertThat(e.column()).as(e.getMessage()).isEqualTo(column);
        });
    }

    @Test
    void positionsCountFromTheTextGiven() {
        assertThatThrownBy(() -> parse("ALTER TABLE t\n  ADD CONSTRAINT c CHECK (a > 0\n"))
                .isInstanceOfSatisfying(SqlSyntaxException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isEqualTo(26);
                    assertThat(e.getMessage()).isEqualTo("line 2, column 26: unbalanced parentheses: '(' is never closed");
                });
        assertThatThrownBy(() -> parse("SELECT 'abc")).isInstanceOfSatisfying(SqlSyntaxException.class,
                e -> assertThat(e.detail()).isEqualTo("unterminated quoted string"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "CHECKPOINT",
        "LISTEN channel",
        "NOTIFY channel, 'payload'",
        "UNLISTEN *",
        "DISCARD ALL",
        "PREPARE q (int) AS SELECT $1",
        "EXECUTE q (1)",
        "DEALLOCATE ALL",
        "DECLARE c CURSOR FOR SELECT 1",
        "FETCH NEXT FROM c",
        "MOVE FORWARD 5 IN c",
        "CLOSE c",
        "LOAD 'auto_explain'",
        "IMPORT FOREIGN SCHEMA remote FROM SERVER s INTO local",
        "ALTER SYSTEM SET work_mem = '64MB'",
        "CREATE TABLE t OF my_type",
        "ALTER TABLE t ALTER CONSTRAINT c NOT DEFERRABLE",
        "SECURITY DEFINER",
        "CREATE SOMETHING_NEW x",
        "ALTER SOMETHING_NEW x",
        "DROP SOMETHING_NEW x",
        "ALTER INDEX i SOMETHING",
        "WITH d AS (UPDATE t SET a = 1 RETURNING *) SELECT * FROM d",
        "EXPLAIN ANALYZE DELETE FROM t",
        "",
        "  -- only a comment",
        ";",
    })
    void validButUnmodelledIsOpaque(String sql) {
        Change c = parse(sql);
        assertThat(c).isInstanceOf(Change.Opaque.class);
        assertThat(((Change.Opaque) c).reason()).isNotBlank();
    }

    @Test
    void opaqueReasonsSayWhat() {
        assertThat(parse("CHECKPOINT")).isEqualTo(new Change.Opaque("CHECKPOINT is not modelled"));
        assertThat(parse("ALTER TABLE t ADD COLUMN a int WHATEVER 1")).isInstanceOfSatisfying(Change.Opaque.class,
                o -> assertThat(o.reason()).contains("'WHATEVER'").contains("line 1, column 32"));
    }

    @Test
    void leadingCommentsAndTrailingSemicolonsAreFine() {
        assertThat(parse("-- why\n/* how */ DROP TABLE t;;")).isInstanceOf(Change.DropTable.class);
        assertThat(parse("drop table t ;")).isInstanceOf(Change.DropTable.class);
    }
}
