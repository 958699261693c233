package dev.tandem.source;

import liquibase.Scope;
import liquibase.change.AbstractChange;
import liquibase.change.ChangeFactory;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.database.Database;
import liquibase.parser.core.ParsedNode;
import liquibase.parser.core.ParsedNodeException;
import liquibase.resource.ResourceAccessor;
import liquibase.statement.SqlStatement;

/**
 * Stands in for Liquibase's {@code customChange} while Tandem reads a changelog. Liquibase's own
 * {@code CustomChangeWrapper} instantiates the Java class already while parsing, and the
 * application's classes are not on Tandem's class path, so every changelog with a
 * {@code customChange} would fail to parse. This change only keeps the class name; the reader
 * turns it into a marker statement that is classified {@code review}.
 *
 * <p>Not API: public only because Liquibase creates changes reflectively. Registered with a higher
 * priority than Liquibase's wrapper, for the whole JVM, by {@link #register()}.
 */
@DatabaseChange(name = "customChange", description = "A customChange read without its Java class (Tandem)",
        priority = ChangeMetaData.PRIORITY_DEFAULT + 100)
public final class OfflineCustomChange extends AbstractChange {
    private String className;

    public OfflineCustomChange() {}

    /** Makes Liquibase create this change for {@code customChange}; idempotent. */
    static synchronized void register() {
        ChangeFactory factory = Scope.getCurrentScope().getSingleton(ChangeFactory.class);
        if (!(factory.create("customChange") instanceof OfflineCustomChange)) {
            factory.register(new OfflineCustomChange());
        }
    }

    /** The Java class the changelog names. */
    public String getClassName() {
        return className;
    }

    @Override
    public void load(ParsedNode parsedNode, ResourceAccessor resourceAccessor) throws ParsedNodeException {
        String name = parsedNode.getChildValue(null, "class", String.class);
        if (name == null) {
            throw new ParsedNodeException("customChange has no 'class' attribute: name the Java class that"
                    + " implements it, as Liquibase requires");
        }
        className = name;
    }

    @Override
    public SqlStatement[] generateStatements(Database database) {
        return SqlStatement.EMPTY_SQL_STATEMENT;
    }

    @Override
    public String getConfirmationMessage() {
        return "customChange " + className + " read without running it";
    }

    @Override
    public String getSerializedObjectNamespace() {
        return STANDARD_CHANGELOG_NAMESPACE;
    }

    @Override
    public boolean supports(Database database) {
        return true;
    }
}
