package dev.tandem.it.exec;

import dev.tandem.catalog.LiveCatalogReader;
import dev.tandem.catalog.SchemaModel;
import dev.tandem.classify.Classifier;
import dev.tandem.classify.PgVersion;
import dev.tandem.classify.rules.RuleRegistry;
import dev.tandem.exec.ApplyResult;
import dev.tandem.exec.ExecOptions;
import dev.tandem.exec.Executor;
import dev.tandem.plan.Phase;
import dev.tandem.plan.Planner;
import dev.tandem.plan.ReleasePlan;
import dev.tandem.source.Migration;
import dev.tandem.source.MigrationType;
import dev.tandem.source.SqlScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A runner in a JVM of its own, for {@link CrashResumeIT} to kill with SIGKILL: plans the release in
 * a directory of {@code V<n>__*.sql} files against the <em>template</em> database and applies
 * {@code phases} of it to the <em>target</em> database, printing every step event as it goes.
 *
 * <p>Why two databases: the planner reads the live schema, and the target's changes with every
 * expand step, so a plan made again after a partial run would differ from the recorded one and the
 * executor would refuse it (the fingerprint differs). The template has the same seed schema and is
 * never migrated, so every run makes the plan the first run made, as a real deploy does with the
 * same migration files.
 *
 * <p>Arguments: templateUrl targetUrl user phases(comma list) batchSize sqlDir. The password, if any,
 * comes from the environment variable {@code TANDEM_IT_PASSWORD} (not on the command line).
 * Exit status 0 when the run returned, 1 when it threw.
 */
public final class ApplyProcess {
    private ApplyProcess() {}

    public static void main(String[] args) {
        if (args.length != 6) {
            System.err.println("usage: ApplyProcess templateUrl targetUrl user phases batchSize sqlDir");
            System.exit(2);
        }
        String templateUrl = args[0];
        String targetUrl = args[1];
        String user = args[2];
        Set<Phase> phases = EnumSet.noneOf(Phase.class);
        for (String p : args[3].split(",")) phases.add(Phase.fromId(p.trim()));
        int batchSize = Integer.parseInt(args[4]);
        Path sqlDir = Path.of(args[5]);
        String password = System.getenv("TANDEM_IT_PASSWORD");
        try {
            ReleasePlan plan;
            try (Connection template = connect(templateUrl, user, password)) {
                plan = plan(template, sqlDir);
            }
            System.out.println("planned: " + plan.allSteps().count() + " steps; applying " + phases + " with batches of "
                    + batchSize + " (pid " + ProcessHandle.current().pid() + ")");
            ExecOptions options = ExecOptions.DEFAULTS.withBatchSize(batchSize)
                    // the killed run's lock session ends with its socket; wait the moment that takes
                    .withWaitForRunLock(Duration.ofSeconds(30))
                    .withListener((type, step, detail) -> System.out.println(
                            type.id() + " " + step.phase().id() + "#" + step.ordinal() + " (migration " + step.migration()
                                    + ", line " + step.line() + ") " + detail));
            ApplyResult result = Executor.apply(() -> connect(targetUrl, user, password), plan, phases, options);
            System.out.println("release " + result.release().id() + " " + result.release().status().id());
            System.out.flush();
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            System.out.flush();
            System.exit(1);
        }
    }

    /** The plan of the {@code V<n>__*.sql} files of {@code dir}, in version order, against the schema of {@code c}. */
    static ReleasePlan plan(Connection c, Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted(Comparator.comparingInt(ApplyProcess::version)).toList();
        }
        List<Migration> migrations = new ArrayList<>();
        for (Path f : files) {
            String file = f.getFileName().toString();
            String version = Integer.toString(version(f));
            SqlScript s = SqlScript.parse(Files.readString(f), file, 1);
            migrations.add(new Migration(version, file.substring(file.indexOf("__") + 2, file.length() - 4), file,
                    MigrationType.VERSIONED, s.statements(), true, s.ignoredRules()));
        }
        SchemaModel live = LiveCatalogReader.read(c, LiveCatalogReader.Options.DEFAULTS).schema();
        var classified = new Classifier(RuleRegistry.all(), new PgVersion(15)).classify(migrations, live.copy());
        return new Planner().plan(classified, live.copy());
    }

    private static int version(Path f) {
        String name = f.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    static Connection connect(String url, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        return DriverManager.getConnection(url, p);
    }
}
