package dev.tandem.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * JVM start-up time is part of every {@code migrate plan}: a source must not load the other tool's
 * classes. Each case runs in a class loader of its own, so classes loaded by other tests do not count.
 */
class SourceClassLoadingTest {

    /** A class loader over the test class path that tells which classes it has loaded. */
    private static final class Isolated extends URLClassLoader {
        Isolated() {
            super(classPath(), ClassLoader.getPlatformClassLoader());
        }

        boolean loaded(String name) {
            return findLoadedClass(name) != null;
        }

        Object load(String sourceClass, Class<?>[] types, Object... args) throws Exception {
            Object source = loadClass(sourceClass).getConstructor(types).newInstance(args);
            return source.getClass().getMethod("load").invoke(source);
        }

        private static URL[] classPath() {
            List<URL> urls = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                try {
                    urls.add(Path.of(entry).toUri().toURL());
                } catch (MalformedURLException e) {
                    throw new IllegalStateException(e);
                }
            }
            return urls.toArray(URL[]::new);
        }
    }

    @Test
    void aFlywayDirectoryLoadsNoLiquibaseClass() throws Exception {
        try (Isolated loader = new Isolated()) {
            loader.load("dev.tandem.source.FlywayDirectorySource", new Class<?>[] {Path.class, Map.class},
                    SourceFixtures.path("flyway/invalid-name"), Map.of());

            assertThat(loader.loaded("org.flywaydb.core.internal.scanner.Scanner")).as("Flyway was used").isTrue();
            assertThat(loader.loaded("liquibase.Scope")).isFalse();
            assertThat(loader.loaded("liquibase.changelog.ChangeSet")).isFalse();
        }
    }

    @Test
    void aPlainSqlFileLoadsNeitherFlywayNorLiquibase() throws Exception {
        try (Isolated loader = new Isolated()) {
            loader.load("dev.tandem.source.SqlFileSource", new Class<?>[] {Path.class},
                    SourceFixtures.path("sql/reindex.sql"));

            assertThat(loader.loaded("dev.tandem.source.SqlFileSource")).isTrue();
            assertThat(loader.loaded("org.flywaydb.core.api.configuration.ClassicConfiguration")).isFalse();
            assertThat(loader.loaded("liquibase.Scope")).isFalse();
        }
    }

    @Test
    void constructingTheLiquibaseSourceLoadsNoLiquibaseClass() throws Exception {
        try (Isolated loader = new Isolated()) {
            Class<?> type = loader.loadClass("dev.tandem.source.LiquibaseChangelogSource");
            type.getConstructor(Path.class, Map.class, Set.class).newInstance(Path.of("x.xml"), Map.of(), Set.of());

            assertThat(loader.loaded("liquibase.Scope")).isFalse();
            assertThat(loader.loaded("liquibase.changelog.ChangeSet")).isFalse();
        }
    }
}
