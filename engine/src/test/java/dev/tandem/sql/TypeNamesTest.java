package dev.tandem.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TypeNamesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "int                          | integer          | ''       | 0",
        "INT4                         | integer          | ''       | 0",
        "integer                      | integer          | ''       | 0",
        "int8                         | bigint           | ''       | 0",
        "BIGINT                       | bigint           | ''       | 0",
        "int2                         | smallint         | ''       | 0",
        "smallint                     | smallint         | ''       | 0",
        "serial                       | serial           | ''       | 0",
        "serial4                      | serial           | ''       | 0",
        "serial8                      | bigserial        | ''       | 0",
        "bigserial                    | bigserial        | ''       | 0",
        "serial2                      | smallserial      | ''       | 0",
        "character varying(100)       | varchar          | 100      | 0",
        "varchar(10)                  | varchar          | 10       | 0",
        "char varying                 | varchar          | ''       | 0",
        "character(3)                 | char             | 3        | 0",
        "char                         | char             | 1        | 0",
        "character                    | char             | 1        | 0",
        "bpchar                       | char             | ''       | 0",
        "bit                          | bit              | 1        | 0",
        "bpchar(2)                    | char             | 2        | 0",
        "national character varying(5)| varchar         | 5        | 0",
        "nchar(4)                     | char             | 4        | 0",
        "bool                         | boolean          | ''       | 0",
        "boolean                      | boolean          | ''       | 0",
        "float8                       | double precision | ''       | 0",
        "double precision             | double precision | ''       | 0",
        "float                        | double precision | ''       | 0",
        "float(53)                    | double precision | ''       | 0",
        "float(25)                    | double precision | ''       | 0",
        "float(24)                    | real             | ''       | 0",
        "float(1)                     | real             | ''       | 0",
        "float4                       | real             | ''       | 0",
        "real                         | real             | ''       | 0",
        "decimal(12,4)                | numeric          | 12,4     | 0",
        "numeric(10,2)                | numeric          | 10,2     | 0",
        "numeric                      | numeric          | ''       | 0",
        "timestamp                    | timestamp        | ''       | 0",
        "timestamp without time zone  | timestamp        | ''       | 0",
        "timestamp(3) without time zone | timestamp      | 3        | 0",
        "timestamp with time zone     | timestamptz      | ''       | 0",
        "timestamp(3) with time zone  | timestamptz      | 3        | 0",
        "timestamptz(6)               | timestamptz      | 6        | 0",
        "time                         | time             | ''       | 0",
        "time(2) without time zone    | time             | 2        | 0",
        "time with time zone          | timetz           | ''       | 0",
        "timetz                       | timetz           | ''       | 0",
        "interval                     | interval         | ''       | 0",
        "interval day to second(3)    | interval         | 3        | 0",
        "interval year                | interval         | ''       | 0",
        "bit(8)                       | bit              | 8        | 0",
        "bit varying(16)              | varbit           | 16       | 0",
        "varbit                       | varbit           | ''       | 0",
        "text                         | text             | ''       | 0",
        "text[]                       | text             | ''       | 1",
        "integer[]                    | integer          | ''       | 1",
        "int[][]                      | integer          | ''       | 2",
        "int[3]                       | integer          | ''       | 1",
        "int ARRAY                    | integer          | ''       | 1",
        "int ARRAY[4]                 | integer          | ''       | 1",
        "character varying(20)[]      | varchar          | 20       | 1",
        "uuid                         | uuid             | ''       | 0",
        "jsonb                        | jsonb            | ''       | 0",
        "pg_catalog.int4              | integer          | ''       | 0",
        "pg_catalog.varchar(5)        | varchar          | 5        | 0",
        "pg_catalog.text              | text             | ''       | 0",
        "public.order_status          | public.order_status | ''    | 0",
        "Order_Status                 | order_status     | ''       | 0",
        "\"MyType\"                   | MyType           | ''       | 0",
        "\"Sch\".\"MyType\"[]         | Sch.MyType       | ''       | 1",
        "\"char\"                     | \"char\"         | ''       | 0",
        "public.citext                | public.citext    | ''       | 0",
        "geometry(Point,4326)         | geometry         | 4326     | 0",
        "interval year to month       | interval         | ''       | 0",
        "time without time zone[]     | time             | ''       | 1",
        "timestamp(6) without time zone[] | timestamp    | 6        | 1",
        "information_schema.sql_identifier | information_schema.sql_identifier | '' | 0",
        "bit(1)                       | bit              | 1        | 0",
        "\"char\"[]                 | \"char\"       | ''       | 1",
    })
    void canonicalNames(String written, String name, String mods, int dims) {
        TypeName t = TypeNames.parse(written);
        assertThat(t.name()).isEqualTo(name);
        List<Integer> expected = mods.isEmpty() ? List.of() : Arrays.stream(mods.split(",")).map(Integer::valueOf).toList();
        assertThat(t.modifiers()).isEqualTo(expected);
        assertThat(t.arrayDims()).isEqualTo(dims);
        assertThat(t.raw()).isEqualTo(written);
    }

    @Test
    void displayMatchesFormatTypeStyle() {
        assertThat(TypeNames.parse("character varying(100)").display()).isEqualTo("varchar(100)");
        assertThat(TypeNames.parse("numeric(10, 2)[]").display()).isEqualTo("numeric(10,2)[]");
        assertThat(TypeNames.parse("numeric(10, 2)[]").raw()).isEqualTo("numeric(10, 2)[]");
    }

    @Test
    void notATypeFails() {
        assertThatThrownBy(() -> TypeNames.parse("integer garbage")).isInstanceOf(SqlSyntaxException.class);
        assertThatThrownBy(() -> TypeNames.parse("(")).isInstanceOf(SqlSyntaxException.class);
        assertThatThrownBy(() -> TypeNames.parse("")).isInstanceOf(SqlSyntaxException.class);
    }
}
