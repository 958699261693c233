package dev.tandem.classify.rules;

import dev.tandem.catalog.TableInfo;
import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.List;

/**
 * CREATE INDEX on a partitioned parent builds the index on every partition while holding ShareLock
 * on the parent and on each partition (PG15), so writes to the whole partitioned table wait.
 * CONCURRENTLY is rejected there ("cannot create index on partitioned table … concurrently",
 * PostgreSQL 11–18). The online recipe: an invalid, catalog-only index {@code ON ONLY} the parent,
 * a concurrent build per partition, then {@code ALTER INDEX … ATTACH PARTITION} per partition; the
 * parent index turns valid when every partition has one (PG15: checked with {@code pg_index.indisvalid}).
 * {@code ON ONLY} itself builds nothing and is never flagged.
 */
public final class CreateIndexOnPartitionedTableRule implements Rule {
    public static final String ID = "create-index-on-partitioned-table";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "CREATE INDEX on a partitioned table locks every partition for writes and cannot be CONCURRENTLY";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.CreateIndex ci) || ci.only()) return;
        if (!ctx.isPreExisting(ci.table())) return;
        if (!ctx.table(ci.table()).map(TableInfo::isPartitioned).orElse(false)) return;
        List<QualifiedName> partitions = new ArrayList<>();
        collectPartitions(ctx, ci.table(), partitions);
        partitions.forEach(ctx::scans);
        String parent = ci.table().display();
        String what = ci.concurrently()
                ? "CREATE INDEX CONCURRENTLY fails on the partitioned table " + parent
                        + " (\"cannot create index on partitioned table concurrently\")."
                : "CREATE INDEX on the partitioned table " + parent + " builds the index on every partition while"
                        + " holding ShareLock on the parent and each partition: INSERT, UPDATE and DELETE anywhere in "
                        + parent + " wait until all builds finish; reads continue.";
        ctx.report(StatementClass.ONLINE_REWRITE, what + " CONCURRENTLY is not supported on partitioned tables.",
                recipe(ci, partitions));
    }

    private static void collectPartitions(RuleContext ctx, QualifiedName parent, List<QualifiedName> out) {
        for (TableInfo p : ctx.schema().partitionsOf(parent)) {
            if (p.isPartitioned()) collectPartitions(ctx, p.name(), out);
            else out.add(p.name());
        }
    }

    private static String recipe(Change.CreateIndex ci, List<QualifiedName> partitions) {
        String name = ci.name() != null ? ci.name().toString() : identifier(ci.table().name() + "_" + String.join("_", ci.elements()) + "_idx");
        String cols = "(" + String.join(", ", ci.elements()) + ")";
        String using = ci.method() != null && !ci.method().equalsIgnoreCase("btree") ? " USING " + ci.method() : "";
        String where = ci.where() != null ? " WHERE " + ci.where() : "";
        String unique = ci.unique() ? "UNIQUE " : "";
        StringBuilder sb = new StringBuilder("Build it partition by partition: CREATE ")
                .append(unique).append("INDEX ").append(name).append(" ON ONLY ").append(ci.table()).append(using)
                .append(' ').append(cols).append(where)
                .append("; (catalog only, the index stays INVALID) then, for each partition, outside a transaction block: ");
        List<String> parts = partitions.isEmpty()
                ? List.of("<partition>")
                : partitions.stream().map(q -> q.schema() == null || q.schema().equals(QualifiedName.DEFAULT_SCHEMA)
                        ? q.name() : q.toString()).toList();
        String first = parts.get(0);
        String childIndex = partitions.isEmpty() ? "<partition index>"
                : identifier(first + "_" + String.join("_", ci.elements()) + "_idx");
        sb.append("CREATE ").append(unique).append("INDEX CONCURRENTLY ").append(childIndex).append(" ON ").append(first)
                .append(using).append(' ').append(cols).append(where).append("; ALTER INDEX ").append(name)
                .append(" ATTACH PARTITION ").append(childIndex).append(";");
        if (parts.size() > 1) {
            sb.append(" (likewise for ").append(String.join(", ", parts.subList(1, parts.size()))).append(").");
        }
        sb.append(" The parent index becomes valid once every partition has one attached.");
        return sb.toString();
    }

    /** A name PostgreSQL accepts unquoted: expressions like {@code lower(email)} become {@code lower_email}. */
    private static String identifier(String raw) {
        String s = raw.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]+", "_").replaceAll("_+", "_")
                .replaceAll("^_|_$", "");
        return s.length() > 63 ? s.substring(0, 63) : s;
    }
}
