package dev.tandem.classify.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The trigger expression of the type-change recipe reads the column, and only the column, from NEW. */
class TypeChangeRuleTest {

    @Test
    void onlyWholeReferencesToTheColumnAreReadFromNew() {
        // Found by the corpus: a plain text replace turned order_status_v2 into order_NEW.status_v2.
        assertThat(TypeChangeRule.onNewRow("(status::text)::public.order_status_v2", "status"))
                .isEqualTo("(NEW.status::text)::public.order_status_v2");
        assertThat(TypeChangeRule.onNewRow("CASE WHEN \"status\" = 'status' THEN 1 END", "status"))
                .isEqualTo("CASE WHEN NEW.\"status\" = 'status' THEN 1 END");
        assertThat(TypeChangeRule.onNewRow("o.status || Status_code || STATUS", "status"))
                .isEqualTo("o.status || Status_code || NEW.STATUS");
    }
}
