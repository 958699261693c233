package dev.tandem.plan;

import dev.tandem.catalog.LiveCatalogReader;
import dev.tandem.catalog.SchemaModel;
import dev.tandem.catalog.SchemaReplayer;
import dev.tandem.classify.ClassifiedSet;
import dev.tandem.classify.Classifier;
import dev.tandem.classify.PgVersion;
import dev.tandem.classify.rules.RuleRegistry;
import dev.tandem.source.Migration;
import dev.tandem.source.MigrationType;
import dev.tandem.source.SqlScript;
import dev.tandem.source.Statement;
import dev.tandem.sql.SqlParser;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/** Classified sets and plans from SQL text, offline or against a live database. */
public final class Plans {
    static final PgVersion PG15 = new PgVersion(15);

    private Plans() {}

    /** Pending migrations V2, V3, … from SQL scripts (directives such as {@code -- migrate:backfill} included). */
    public static List<Migration> migrations(String... scripts) {
        List<Migration> out = new ArrayList<>();
        for (int i = 0; i < scripts.length; i++) {
            String version = Integer.toString(i + 2);
            String file = "V" + version + "__test.sql";
            SqlScript s = SqlScript.parse(scripts[i], file, 1);
            out.add(new Migration(version, "test", file, MigrationType.VERSIONED, s.statements(), true, s.ignoredRules()));
        }
        return out;
    }

    /** The applied history {@code given} replayed into an offline model. */
    static SchemaModel replayed(String given) {
        SchemaModel schema = SchemaModel.offline();
        SqlParser parser = new SqlParser();
        SchemaReplayer replayer = new SchemaReplayer();
        for (Statement s : SqlScript.parse(given, "V1__given.sql", 1).statements()) replayer.apply(parser.parse(s.sql()), schema);
        return schema;
    }

    static ClassifiedSet classify(SchemaModel schema, PgVersion version, String... scripts) {
        return new Classifier(RuleRegistry.all(), version).classify(migrations(scripts), schema);
    }

    /** Offline: {@code given} is the applied history (replayed, not planned); {@code scripts} are pending. */
    static ReleasePlan offline(String given, String... scripts) {
        return offline(PG15, given, scripts);
    }

    static ReleasePlan offline(PgVersion version, String given, String... scripts) {
        ClassifiedSet set = classify(replayed(given), version, scripts);
        return new Planner().plan(set, replayed(given));
    }

    /** With a live catalog, as {@code migrate plan --url} would: the database's schema is the applied history. */
    static ReleasePlan live(Connection c, String... scripts) {
        SchemaModel forClassifier = LiveCatalogReader.read(c, LiveCatalogReader.Options.DEFAULTS).schema();
        SchemaModel forPlanner = LiveCatalogReader.read(c, LiveCatalogReader.Options.DEFAULTS).schema();
        return new Planner().plan(classify(forClassifier, PG15, scripts), forPlanner);
    }

    /** The one unplanned statement of a plan that has no steps at all. */
    static Unplanned onlyUnplanned(ReleasePlan plan) {
        org.assertj.core.api.Assertions.assertThat(plan.allSteps()).isEmpty();
        org.assertj.core.api.Assertions.assertThat(plan.executable()).isFalse();
        org.assertj.core.api.Assertions.assertThat(plan.unplanned()).hasSize(1);
        return plan.unplanned().get(0);
    }

    static List<SqlStep> sqlSteps(ReleasePlan plan, Phase phase) {
        return plan.steps(phase).stream().map(s -> (SqlStep) s).toList();
    }

    static List<String> sql(ReleasePlan plan, Phase phase) {
        return plan.steps(phase).stream().map(s -> s instanceof SqlStep q ? q.sql() : "BACKFILL " + ((BackfillStep) s).set()).toList();
    }
}
