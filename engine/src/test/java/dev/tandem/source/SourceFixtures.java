package dev.tandem.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.error.TandemException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** Test inputs under {@code src/test/resources/sources} and checks shared by the source tests. */
final class SourceFixtures {
    private static final Pattern JAVA_CLASS_NAME =
            Pattern.compile("\\b(?:java|javax|org|liquibase|com|dev)\\.[\\w.$]+|\\w+(?:Exception|Error)\\b");

    private SourceFixtures() {}

    static Path path(String relative) {
        URL url = SourceFixtures.class.getResource("/sources/" + relative);
        assertThat(url).as("test input sources/" + relative).isNotNull();
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A message written for the user: names the file and carries no Java class or exception name. */
    static void assertUserMessage(TandemException e, String file) {
        assertThat(e.getMessage()).contains(file);
        assertThat(JAVA_CLASS_NAME.matcher(e.getMessage()).find())
                .as("no Java class names in: %s", e.getMessage()).isFalse();
        assertThat(e.getMessage()).doesNotContain("\tat ");
    }

    static Migration only(List<Migration> migrations) {
        assertThat(migrations).hasSize(1);
        return migrations.getFirst();
    }
}
