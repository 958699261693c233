package dev.tandem.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The CHECK that an ATTACH PARTITION bound stands for (proven on the server by {@link AttachPartitionLifecycleTest}). */
class AttachPartitionRecipeTest {

    @Test
    void rangeBounds() {
        assertThat(AttachPartitionRecipe.boundCheck("FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')", "logdate"))
                .isEqualTo("logdate IS NOT NULL AND logdate >= '2024-01-01' AND logdate < '2025-01-01'");
        assertThat(AttachPartitionRecipe.boundCheck("for values from (-5) to (maxvalue)", "k")).isEqualTo("k IS NOT NULL AND k >= -5");
        assertThat(AttachPartitionRecipe.boundCheck("FOR VALUES FROM (MINVALUE) TO (MAXVALUE)", "k")).isEqualTo("k IS NOT NULL");
    }

    @Test
    void listBounds() {
        assertThat(AttachPartitionRecipe.boundCheck("FOR VALUES IN ('a', 'b')", "k")).isEqualTo("k IS NOT NULL AND k IN ('a', 'b')");
        assertThat(AttachPartitionRecipe.boundCheck("FOR VALUES IN (1, NULL)", "k")).isEqualTo("k IS NULL OR k IN (1)");
        assertThat(AttachPartitionRecipe.boundCheck("FOR VALUES IN (NULL)", "k")).isEqualTo("k IS NULL");
    }

    @Test
    void boundsThatAreNotPlainLiteralsOrNotSingleColumnGetNoCheck() {
        assertThat(AttachPartitionRecipe.boundCheck("FOR VALUES FROM (now()) TO ('2025-01-01')", "k")).isNull();
        assertThat(AttachPartitionRecipe.boundCheck("FOR VALUES FROM (1, 2) TO (3, 4)", "k")).isNull();
        assertThat(AttachPartitionRecipe.boundCheck("FOR VALUES WITH (MODULUS 4, REMAINDER 0)", "k")).isNull();
        assertThat(AttachPartitionRecipe.boundCheck("FOR VALUES FROM ('2024-01-01'::date) TO ('2025-01-01')", "k")).isNull();
    }

    @Test
    void partitionKeys() {
        assertThat(AttachPartitionRecipe.singleColumnKey("RANGE (logdate)")).isEqualTo("logdate");
        assertThat(AttachPartitionRecipe.singleColumnKey("PARTITION BY list (\"Region\")")).isEqualTo("Region");
        assertThat(AttachPartitionRecipe.singleColumnKey("RANGE (a, b)")).isNull();
        assertThat(AttachPartitionRecipe.singleColumnKey("RANGE (lower(a))")).isNull();
        assertThat(AttachPartitionRecipe.singleColumnKey("HASH (id)")).isNull();
    }
}
