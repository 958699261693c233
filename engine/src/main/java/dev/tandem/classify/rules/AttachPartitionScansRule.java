package dev.tandem.classify.rules;

import dev.tandem.catalog.ConstraintInfo;
import dev.tandem.catalog.IndexInfo;
import dev.tandem.catalog.TableInfo;
import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ALTER TABLE parent ATTACH PARTITION p FOR VALUES … takes ShareUpdateExclusiveLock on the parent
 * (since PostgreSQL 12; AccessExclusiveLock before) and AccessExclusiveLock on p and on the parent's
 * default partition, and scans p (PG15: "verifying table p") to check every row fits the bound —
 * unless p has a validated CHECK constraint that implies the bound (PG15: "partition constraint for
 * table p is implied by existing constraints"). A default partition, if any, is also scanned under
 * AccessExclusiveLock (PG15).
 *
 * <p>Tandem cannot prove implication, so it uses a heuristic: the scan counts as skipped when p has
 * a validated CHECK constraint whose text contains every literal of a FROM/TO or IN bound
 * (quoted strings and numbers; MINVALUE/MAXVALUE ignored). The table model does not carry the
 * partition key, so literals stand in for "mentions the key column". A DEFAULT or hash bound
 * (WITH (MODULUS …)) never counts as implied by its own literals; a DEFAULT partition is not
 * scanned when it is the parent's only partition, or when a validated CHECK excludes every other
 * (list) partition's values ({@link #noScanBecause}). A partition created earlier in the same
 * migration is empty: exempt.
 */
public final class AttachPartitionScansRule implements Rule {
    public static final String ID = "attach-partition-scans";
    private static final Pattern LITERAL = Pattern.compile("'(?:[^']|'')*'|(?<![a-z_0-9])-?\\d+(?:\\.\\d+)?(?![a-z_0-9])");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "ATTACH PARTITION scans the partition under AccessExclusiveLock unless a CHECK proves the bound";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.AlterTable at)) return;
        for (AlterAction a : at.actions()) {
            if (!(a instanceof AlterAction.AttachPartition ap) || !ctx.isPreExisting(ap.partition())) continue;
            Optional<TableInfo> partition = ctx.table(ap.partition());
            List<IndexInfo> missing = missingIndexes(ctx, at, ap);
            String p = ctx.describe(ap.partition());
            String builds = missing.isEmpty() ? "" : " It also builds " + names(missing) + " of " + at.table().display()
                    + " on " + p + ", which has no matching index, under the same lock.";
            String prebuild = missing.isEmpty() ? "" : " Build the parent's indexes on " + ap.partition() + " first, so the"
                    + " attach only attaches them: " + prebuildSql(ap, missing);
            String noScan = noScanBecause(ctx, at, ap, partition);
            if (noScan != null) {
                if (missing.isEmpty()) continue;
                // building an index reads the whole partition (traced: seq_scan under the lock)
                ctx.scans(ap.partition());
                ctx.report(StatementClass.ONLINE_REWRITE,
                        "ATTACH PARTITION skips the scan of " + p + " (" + noScan + ") but builds "
                                + names(missing) + " of " + at.table().display() + " on it under AccessExclusiveLock: reads"
                                + " and writes of " + p + " wait for the builds.",
                        prebuild.strip());
                continue;
            }
            ctx.scans(ap.partition());
            boolean asDefault = TableInfo.isDefaultBound(ap.bound());
            String check = asDefault ? "that no row belongs to another partition"
                    : "that every row fits " + (ap.bound() == null ? "its bound" : ap.bound());
            ctx.report(StatementClass.ONLINE_REWRITE,
                    "ATTACH PARTITION scans all of " + p + " under AccessExclusiveLock to check " + check
                            + ": reads and writes of " + p + " wait for the scan (the parent " + at.table().display()
                            + " takes only ShareUpdateExclusiveLock since PostgreSQL 12)." + builds,
                    recipe(at, ap) + prebuild);
        }
    }

    /**
     * The parent's indexes the partition has no equivalent of (same uniqueness, elements and
     * predicate, compared as text): ATTACH PARTITION creates each of them on the partition while it
     * holds AccessExclusiveLock there, and attaches an equivalent one instead (PG15, DEBUG: "building
     * index … on table …").
     */
    private static List<IndexInfo> missingIndexes(RuleContext ctx, Change.AlterTable at, AlterAction.AttachPartition ap) {
        List<IndexInfo> own = ctx.schema().indexesOn(ap.partition());
        return ctx.schema().indexesOn(at.table()).stream()
                .filter(i -> own.stream().noneMatch(o -> o.unique() == i.unique() && shape(o).equals(shape(i))))
                .toList();
    }

    private static String shape(IndexInfo i) {
        String s = String.join(",", i.elements()) + " where " + (i.where() == null ? "" : i.where());
        return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
    }

    private static String names(List<IndexInfo> indexes) {
        return (indexes.size() == 1 ? "the index " : "the indexes ")
                + String.join(", ", indexes.stream().map(i -> i.name().display()).toList());
    }

    private static String prebuildSql(AlterAction.AttachPartition ap, List<IndexInfo> indexes) {
        StringBuilder sb = new StringBuilder();
        for (IndexInfo i : indexes) {
            sb.append(i.unique() ? "CREATE UNIQUE INDEX CONCURRENTLY ON " : "CREATE INDEX CONCURRENTLY ON ")
                    .append(ap.partition()).append(" (").append(String.join(", ", i.elements())).append(')')
                    .append(i.where() == null ? "" : " WHERE " + i.where()).append("; ");
        }
        return sb.append("(outside a transaction block).").toString();
    }

    /**
     * Why PostgreSQL checks no row of the partition, or {@code null} when it scans it. For a
     * DEFAULT partition: the parent has no other partition (a default partition alone has no
     * partition constraint, PG15 {@code get_qual_for_list}/{@code get_qual_for_range} return none,
     * so nothing is verified), or every other partition is a list partition whose values a
     * validated CHECK of the partition excludes ({@code key NOT IN (…)} or {@code key <> …}; PG15
     * proves the default's {@code NOT (key = ANY (…))} from it; a NULL partition also needs
     * {@code IS NOT NULL} in the CHECK, which is conservative: PostgreSQL also counts a NOT NULL
     * key column, and the model does not know which column is the key).
     */
    private static String noScanBecause(RuleContext ctx, Change.AlterTable at, AlterAction.AttachPartition ap,
            Optional<TableInfo> partition) {
        if (partition.isEmpty()) return null;
        if (!TableInfo.isDefaultBound(ap.bound())) return impliedByCheck(ap.bound(), partition.get()) ? "a validated CHECK implies the bound" : null;
        if (ctx.table(at.table()).filter(TableInfo::isPartitioned).isEmpty()) return null;
        List<TableInfo> others = ctx.schema().partitionsOf(at.table()).stream()
                .filter(o -> !o.name().equals(partition.get().name())).toList();
        if (others.isEmpty()) return "the only partition: a default partition alone has no constraint to check";
        return excludedByCheck(others, partition.get()) ? "a validated CHECK excludes every other partition's values" : null;
    }

    private static boolean excludedByCheck(List<TableInfo> others, TableInfo partition) {
        List<String> literals = new ArrayList<>();
        boolean nullPartition = false;
        for (TableInfo o : others) {
            String b = o.partitionBound() == null ? null : o.partitionBound().toLowerCase(Locale.ROOT).strip();
            // a range, hash or unknown bound: Tandem does not prove the negation of those
            if (b == null || !b.matches("(?s)for\\s+values\\s+in\\s*\\(.*")) return false;
            nullPartition |= b.matches("(?s).*\\bnull\\b.*");
            literals.addAll(literals(b.replaceAll("\\bnull\\b", "")));
        }
        for (ConstraintInfo c : partition.constraints()) {
            if (c.kind() != ConstraintInfo.Kind.CHECK || !c.validated() || c.check() == null) continue;
            String text = c.check().text().toLowerCase(Locale.ROOT);
            boolean negated = text.matches("(?s).*(\\bnot\\s+in\\b|<>|!=).*");
            if (negated && literals.stream().allMatch(text::contains) && (!nullPartition || text.contains("is not null"))) {
                return true;
            }
        }
        return false;
    }

    static boolean impliedByCheck(String bound, TableInfo partition) {
        if (bound == null) return false;
        String b = bound.toLowerCase(Locale.ROOT).strip();
        if (b.equals("default") || b.contains("modulus")) return false;
        List<String> literals = literals(b);
        if (literals.isEmpty()) return false;
        for (ConstraintInfo c : partition.constraints()) {
            if (c.kind() != ConstraintInfo.Kind.CHECK || !c.validated() || c.check() == null) continue;
            String text = c.check().text().toLowerCase(Locale.ROOT);
            if (literals.stream().allMatch(text::contains)) return true;
        }
        return false;
    }

    private static List<String> literals(String bound) {
        List<String> out = new ArrayList<>();
        Matcher m = LITERAL.matcher(bound.replaceAll("(?i)\\b(minvalue|maxvalue)\\b", ""));
        while (m.find()) out.add(m.group());
        return out;
    }

    private static String recipe(Change.AlterTable at, AlterAction.AttachPartition ap) {
        String p = ap.partition().toString();
        if (TableInfo.isDefaultBound(ap.bound())) {
            return "Give " + p + " a validated CHECK constraint that excludes every other partition's values (ALTER TABLE " + p
                    + " ADD CONSTRAINT … CHECK (<key> NOT IN (…)) NOT VALID; then VALIDATE CONSTRAINT …, which scans under"
                    + " ShareUpdateExclusiveLock while reads and writes continue): PostgreSQL then skips the scan. Tandem"
                    + " recognises such a CHECK when every other partition is a list partition it knows; for range"
                    + " partitions it cannot tell, so check with migrate plan --trace and, once reviewed, suppress with"
                    + " -- migrate:ignore attach-partition-scans.";
        }
        String check = p.replace('.', '_') + "_bound";
        String condition = conditionFor(ap.bound());
        return "Prove the bound with a CHECK constraint first, so the attach skips the scan: ALTER TABLE " + p
                + " ADD CONSTRAINT " + check + " CHECK (" + condition + ") NOT VALID; (brief AccessExclusiveLock) then"
                + " ALTER TABLE " + p + " VALIDATE CONSTRAINT " + check + "; (scans under ShareUpdateExclusiveLock: reads and"
                + " writes continue) then ALTER TABLE " + at.table() + " ATTACH PARTITION " + p + " "
                + (ap.bound() == null ? "…" : ap.bound()) + "; (no scan) and ALTER TABLE " + p + " DROP CONSTRAINT " + check
                + "; The CHECK must also say the key IS NOT NULL for a range bound. A default partition still has to be"
                + " scanned; give it a CHECK that excludes the new range the same way.";
    }

    private static String conditionFor(String bound) {
        if (bound == null) return "<partition key within the bound>";
        Matcher range = Pattern.compile("(?is)(?:for\\s+values\\s+)?from\\s*\\((.*)\\)\\s*to\\s*\\((.*)\\)").matcher(bound);
        if (range.find() && !range.group(1).contains(",") && !range.group(2).contains(",")) {
            String from = range.group(1).strip();
            String to = range.group(2).strip();
            StringBuilder sb = new StringBuilder("<key> IS NOT NULL");
            if (!from.equalsIgnoreCase("minvalue")) sb.append(" AND <key> >= ").append(from);
            if (!to.equalsIgnoreCase("maxvalue")) sb.append(" AND <key> < ").append(to);
            return sb.toString();
        }
        Matcher list = Pattern.compile("(?is)(?:for\\s+values\\s+)?\\bin\\s*\\((.*)\\)").matcher(bound);
        if (list.find()) return "<key> IS NOT NULL AND <key> IN (" + list.group(1).strip() + ")";
        return "<partition key within the bound>";
    }
}
