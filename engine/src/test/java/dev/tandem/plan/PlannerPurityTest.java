package dev.tandem.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The planner is pure (DESIGN.md): no class of {@code dev.tandem.plan} refers to JDBC or the
 * PostgreSQL driver. Checked on the compiled classes, whose constant pools name every class they use.
 */
class PlannerPurityTest {

    @Test
    void noPlanClassRefersToJdbc() throws IOException, URISyntaxException {
        Path dir = Path.of(Planner.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve("dev/tandem/plan");
        List<Path> classes;
        try (Stream<Path> files = Files.list(dir)) {
            classes = files.filter(f -> f.toString().endsWith(".class")).toList();
        }
        assertThat(classes).extracting(f -> f.getFileName().toString()).contains("Planner.class", "SqlStep.class");
        for (Path f : classes) {
            String pool = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertThat(pool).as(f.getFileName().toString()).doesNotContain("java/sql/", "javax/sql/", "org/postgresql/");
        }
    }
}
