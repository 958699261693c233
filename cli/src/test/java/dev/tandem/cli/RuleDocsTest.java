package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.classify.rules.RuleRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/rules.md is exactly what `migrate rules --format markdown` prints for the registered rules. */
class RuleDocsTest {

    @Test
    void rulesDocumentMatchesTheRegistry() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "rules.md"));
        assertThat(doc)
                .as("docs/rules.md is out of date: regenerate it with ./migrate rules --format markdown > docs/rules.md")
                .isEqualTo(RulesCommand.markdown(RuleRegistry.all()));
    }
}
