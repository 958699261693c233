package dev.tandem.plan;

import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.LockMode;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ATTACH PARTITION} without its scan of the partition under AccessExclusiveLock: a helper
 * CHECK that says exactly what the bound says is added NOT VALID and validated first
 * (ShareUpdateExclusiveLock: reads and writes of the partition go on); ATTACH then finds the
 * partition constraint "implied by existing constraints" and skips the scan (it still takes
 * ShareUpdateExclusiveLock on the parent, since PostgreSQL 12, and AccessExclusiveLock on the
 * partition, briefly); the helper is dropped afterwards.
 *
 * <p>The CHECK is derived from the bound and the parent's partition key, written the way
 * PostgreSQL writes the partition constraint, so that its implication proof recognises it:
 * {@code FROM (a) TO (b)} on key {@code k} → {@code k IS NOT NULL AND k >= a AND k < b}
 * (MINVALUE/MAXVALUE leave that side out); {@code IN (x, y)} → {@code k IS NOT NULL AND k IN (x, y)},
 * or {@code k IS NULL OR k IN (…)} when NULL is listed. Only single-column keys and bounds made of
 * plain literals are covered; the key must be known, which for now means the parent was created
 * in this release ({@code TableInfo} does not carry partition keys). A parent with a DEFAULT
 * partition is not covered: ATTACH also scans the default partition under AccessExclusiveLock.
 */
final class AttachPartitionRecipe implements Recipe {
    static final Set<String> COVERS = Set.of("attach-partition-scans");

    @Override
    public Set<String> covers() {
        return COVERS;
    }

    Outcome attach(PlanContext ctx, Change.AlterTable at, AlterAction.AttachPartition ap) {
        QualifiedName parent = at.table();
        QualifiedName partition = ap.partition();
        String bound = ap.bound() == null ? "" : ap.bound().strip();
        if (bound.equalsIgnoreCase("default")) {
            return Outcome.notYet("A DEFAULT partition must be proven to hold no row of any other partition; Tandem has no"
                    + " recipe for that yet.", "Give " + partition + " a validated CHECK that excludes every other partition's"
                    + " values, then attach it.");
        }
        Optional<String> partitionBy = ctx.release().partitionBy(parent);
        if (partitionBy.isEmpty()) {
            return Outcome.precondition("The partition key of " + parent.display() + " is not known to the plan: the table was"
                            + " created before this release, and the schema model does not record partition keys yet.",
                    "Add a validated CHECK on " + partition + " that matches the bound (key IS NOT NULL AND key >= … AND key < …)"
                            + " in an earlier migration; ATTACH then skips its scan.");
        }
        String key = singleColumnKey(partitionBy.get());
        if (key == null) {
            return Outcome.notYet("The partition key of " + parent.display() + " (" + partitionBy.get() + ") is not a single column"
                    + " of a RANGE or LIST partitioning; Tandem only derives the bound's CHECK for those.",
                    "Add a validated CHECK on " + partition + " that implies the bound, then attach it.");
        }
        if (ctx.release().hasDefaultPartition(parent)) {
            return Outcome.notYet(parent.display() + " has a DEFAULT partition, which ATTACH scans under AccessExclusiveLock for"
                    + " rows of the new bound; Tandem has no recipe for that yet.",
                    "Give the default partition a validated CHECK that excludes the new bound, then attach.");
        }
        String check = boundCheck(bound, SqlText.ident(key));
        if (check == null) {
            return Outcome.notYet("Tandem derives the CHECK for bounds of plain literals only (FROM (…) TO (…) or IN (…)).",
                    "Add a validated CHECK on " + partition + " that implies the bound, then attach it.");
        }
        String helper = ObjectNames.partitionBoundCheck(partition.name());
        String alterPartition = "ALTER TABLE " + SqlText.name(partition);
        return Outcome.steps()
                .expand(ctx.transactional("Add the bound of " + partition.display() + " as CHECK (" + check + ") NOT VALID, named "
                                + helper + " (brief AccessExclusiveLock on the partition, no scan).",
                        alterPartition + " ADD CONSTRAINT " + SqlText.ident(helper) + " CHECK (" + check + ") NOT VALID",
                        List.of(PlanContext.lock(partition, LockMode.ACCESS_EXCLUSIVE)),
                        alterPartition + " DROP CONSTRAINT IF EXISTS " + SqlText.ident(helper)))
                .expand(ctx.transactional("Validate " + helper + " in a transaction of its own: reads every row of the partition"
                                + " under ShareUpdateExclusiveLock while reads and writes go on.",
                        alterPartition + " VALIDATE CONSTRAINT " + SqlText.ident(helper),
                        List.of(PlanContext.lock(partition, LockMode.SHARE_UPDATE_EXCLUSIVE)), null))
                .expand(ctx.transactional("Attach " + partition.display() + ": the validated CHECK implies the bound, so PostgreSQL"
                                + " skips the scan (ShareUpdateExclusiveLock on the parent, brief AccessExclusiveLock on the"
                                + " partition).",
                        ctx.sql(), List.of(PlanContext.lock(parent, LockMode.SHARE_UPDATE_EXCLUSIVE),
                                PlanContext.lock(partition, LockMode.ACCESS_EXCLUSIVE)),
                        "ALTER TABLE " + SqlText.name(parent) + " DETACH PARTITION " + SqlText.name(partition)))
                .expand(ctx.transactional("Drop the helper " + helper + ", no longer needed (brief AccessExclusiveLock on the"
                                + " partition).",
                        alterPartition + " DROP CONSTRAINT IF EXISTS " + SqlText.ident(helper),
                        List.of(PlanContext.lock(partition, LockMode.ACCESS_EXCLUSIVE)), null))
                .build();
    }

    /** The key column of {@code RANGE (col)} / {@code LIST (col)}, or null. */
    static String singleColumnKey(String partitionBy) {
        List<Token> t = SqlText.tokens(partitionBy);
        int i = 0;
        if (SqlText.at(t, 0, "partition") && SqlText.at(t, 1, "by")) i = 2;
        if (!(SqlText.at(t, i, "range") || SqlText.at(t, i, "list"))) return null;
        i++;
        if (t.size() != i + 3 || t.get(i).kind() != Token.Kind.LPAREN || !t.get(i + 1).isIdentifier()
                || t.get(i + 2).kind() != Token.Kind.RPAREN) {
            return null;
        }
        return t.get(i + 1).text();
    }

    /** The CHECK expression equivalent to {@code bound} on column {@code key} (as SQL), or null. */
    static String boundCheck(String bound, String key) {
        List<Token> t = SqlText.tokens(bound);
        if (!SqlText.at(t, 0, "for") || !SqlText.at(t, 1, "values")) return null;
        if (SqlText.at(t, 2, "from")) {
            int open = 3;
            int close = SqlText.closing(t, open);
            if (close < 0 || !SqlText.at(t, close + 1, "to")) return null;
            int open2 = close + 2;
            int close2 = SqlText.closing(t, open2);
            if (close2 != t.size() - 1) return null;
            List<String> from = values(bound, t, open, close);
            List<String> to = values(bound, t, open2, close2);
            if (from == null || to == null || from.size() != 1 || to.size() != 1) return null;
            StringBuilder sb = new StringBuilder(key).append(" IS NOT NULL");
            if (!from.get(0).equalsIgnoreCase("minvalue")) {
                if (from.get(0).equalsIgnoreCase("maxvalue") || from.get(0).equalsIgnoreCase("null")) return null;
                sb.append(" AND ").append(key).append(" >= ").append(from.get(0));
            }
            if (!to.get(0).equalsIgnoreCase("maxvalue")) {
                if (to.get(0).equalsIgnoreCase("minvalue") || to.get(0).equalsIgnoreCase("null")) return null;
                sb.append(" AND ").append(key).append(" < ").append(to.get(0));
            }
            return sb.toString();
        }
        if (SqlText.at(t, 2, "in")) {
            int open = 3;
            int close = SqlText.closing(t, open);
            if (close != t.size() - 1) return null;
            List<String> values = values(bound, t, open, close);
            if (values == null || values.isEmpty()) return null;
            boolean nullListed = values.removeIf(v -> v.equalsIgnoreCase("null"));
            if (values.stream().anyMatch(v -> v.equalsIgnoreCase("minvalue") || v.equalsIgnoreCase("maxvalue"))) return null;
            String in = key + " IN (" + String.join(", ", values) + ")";
            if (!nullListed) return key + " IS NOT NULL AND " + in;
            return values.isEmpty() ? key + " IS NULL" : key + " IS NULL OR " + in;
        }
        return null;
    }

    /**
     * The comma-separated values between {@code open} and {@code close}, each a plain literal as
     * written (a string, a possibly negative number, TRUE/FALSE, NULL, MINVALUE/MAXVALUE), or null.
     */
    private static List<String> values(String text, List<Token> t, int open, int close) {
        if (open >= t.size() || t.get(open).kind() != Token.Kind.LPAREN) return null;
        List<String> out = new ArrayList<>();
        int i = open + 1;
        while (i < close) {
            Token v = t.get(i);
            int end = i;
            if (v.kind() == Token.Kind.OPERATOR && v.text().equals("-") && i + 1 < close && t.get(i + 1).kind() == Token.Kind.NUMBER) {
                end = i + 1;
            } else if (!(v.kind() == Token.Kind.STRING || v.kind() == Token.Kind.NUMBER
                    || v.isKeyword("true") || v.isKeyword("false") || v.isKeyword("null")
                    || v.isKeyword("minvalue") || v.isKeyword("maxvalue"))) {
                return null;
            }
            out.add(text.substring(v.start(), t.get(end).end()));
            i = end + 1;
            if (i < close) {
                if (t.get(i).kind() != Token.Kind.COMMA) return null;
                i++;
            }
        }
        return out;
    }
}
