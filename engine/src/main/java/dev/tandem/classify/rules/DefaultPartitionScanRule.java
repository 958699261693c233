package dev.tandem.classify.rules;

import dev.tandem.catalog.TableInfo;
import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import java.util.Optional;

/**
 * A new partition (ATTACH PARTITION … FOR VALUES, or CREATE TABLE … PARTITION OF … FOR VALUES) of a
 * table that has a DEFAULT partition: PostgreSQL takes AccessExclusiveLock on the default
 * partition and reads all of it, to check that none of its rows belongs to the new partition
 * (PG15: "verifying table &lt;default&gt;"; traced on 13, 15 and 18). Reads and writes of the
 * default partition wait for the scan. PostgreSQL skips the scan when a validated CHECK of the
 * default partition already excludes the new bound; Tandem does not prove that and flags the
 * statement whenever the model knows of a default partition that existed before the migration.
 */
public final class DefaultPartitionScanRule implements Rule {
    public static final String ID = "default-partition-scan";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "A new partition beside a DEFAULT partition scans the default under AccessExclusiveLock";
    }

    @Override
    public void check(RuleContext ctx) {
        switch (ctx.change()) {
            case Change.CreateTable ct when ct.partitionOf() != null && !TableInfo.isDefaultBound(ct.partitionBound()) ->
                    report(ctx, ct.partitionOf(), ct.partitionBound());
            case Change.AlterTable at -> {
                for (AlterAction a : at.actions()) {
                    if (a instanceof AlterAction.AttachPartition ap && !TableInfo.isDefaultBound(ap.bound())) report(ctx, at.table(), ap.bound());
                }
            }
            default -> { }
        }
    }

    private static void report(RuleContext ctx, QualifiedName parent, String bound) {
        Optional<TableInfo> found = ctx.schema().defaultPartitionOf(parent);
        if (found.isEmpty() || !ctx.isPreExisting(found.get().name())) return;
        QualifiedName d = found.get().name();
        ctx.scans(d);
        String range = bound == null ? "the new bound" : bound;
        ctx.report(StatementClass.ONLINE_REWRITE,
                "Adding a partition to " + parent.display() + " reads all of its DEFAULT partition " + ctx.describe(d)
                        + " under AccessExclusiveLock, to check that none of its rows belongs to " + range + ": reads and"
                        + " writes of " + d.display() + " wait for the scan.",
                "First give " + d + " a CHECK constraint that excludes " + range + " (ALTER TABLE " + d + " ADD CONSTRAINT …"
                        + " CHECK (NOT (<key> within the new bound)) NOT VALID; then VALIDATE CONSTRAINT in its own transaction,"
                        + " which scans under ShareUpdateExclusiveLock while reads and writes go on): PostgreSQL then skips the"
                        + " scan. Move any rows of the new range out of the default partition before that. Tandem does not"
                        + " check the CHECK against the bound: confirm with migrate plan --trace, then suppress with"
                        + " -- migrate:ignore " + ID + ".");
    }
}
