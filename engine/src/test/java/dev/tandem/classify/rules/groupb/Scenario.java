package dev.tandem.classify.rules.groupb;

import dev.tandem.catalog.SchemaModel;
import dev.tandem.classify.ClassifiedSet;
import dev.tandem.classify.Classifier;
import dev.tandem.classify.Finding;
import dev.tandem.classify.PgVersion;
import dev.tandem.classify.StatementResult;
import dev.tandem.classify.rules.RuleRegistry;
import dev.tandem.source.Migration;
import dev.tandem.source.MigrationType;
import dev.tandem.source.Statement;
import dev.tandem.sql.RawStatement;
import dev.tandem.sql.SqlSplitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Classifies a "given" history and a migration under test with the real splitter, parser, lock
 * analyzer, replayer and rule registry, for tests that need more than the fixture format offers
 * (SQL that cannot run on a server, message contents).
 */
record Scenario(String given, String when, boolean transactional, PgVersion version) {

    static Scenario when(String sql) {
        return new Scenario("", sql, true, PgVersion.DEFAULT);
    }

    Scenario given(String sql) {
        return new Scenario(sql, when, transactional, version);
    }

    Scenario nonTransactional() {
        return new Scenario(given, when, false, version);
    }

    Scenario on(int major) {
        return new Scenario(given, when, transactional, new PgVersion(major));
    }

    /** The results of the statements of {@code when}, in order. */
    List<StatementResult> run() {
        List<Migration> migrations = new ArrayList<>();
        if (!given.isBlank()) migrations.add(migration("0", given, true));
        migrations.add(migration("1", when, transactional));
        ClassifiedSet set = new Classifier(RuleRegistry.all(), version).classify(migrations, SchemaModel.offline());
        return set.migrations().get(set.migrations().size() - 1).statements();
    }

    /** The findings on the last statement of {@code when}. */
    List<Finding> lastFindings() {
        List<StatementResult> r = run();
        return r.get(r.size() - 1).classification().findings();
    }

    private static Migration migration(String version, String sql, boolean transactional) {
        List<Statement> statements = new ArrayList<>();
        for (RawStatement raw : SqlSplitter.split(sql)) {
            statements.add(new Statement(raw.sql(), raw.line(), Set.of(), List.of()));
        }
        return new Migration(version, "scenario", "V" + version + "__scenario.sql", MigrationType.VERSIONED, statements,
                transactional, Set.of());
    }
}
