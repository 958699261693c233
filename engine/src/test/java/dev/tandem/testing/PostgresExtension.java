package dev.tandem.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects a fresh {@link TestDatabase} into any test method, constructor or lifecycle method
 * parameter of that type:
 *
 * <pre>{@code
 * @ExtendWith(PostgresExtension.class)
 * class FooIT {
 *     @Test void works(TestDatabase db) throws SQLException { try (var c = db.connection()) { ... } }
 * }
 * }</pre>
 *
 * The database is kept in the store of the context that asked for it, and JUnit closes
 * AutoCloseable store values when that context ends (JUnit 5.13+; JUnit 6 is used here): a test
 * method's database is dropped after the method, a {@code @BeforeAll} parameter's after the class.
 */
public final class PostgresExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PostgresExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestDatabase db = PostgresHarness.get().newDatabase();
        // Keyed per parameter so that two TestDatabase parameters get two databases.
        context.getStore(NAMESPACE).put(parameter.getDeclaringExecutable() + "#" + parameter.getIndex()
                + "@" + db.name(), db);
        return db;
    }
}
