package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import java.util.List;

/**
 * Group B of Tandem's rules: indexes, tables, partitions, data changes, maintenance, transactions,
 * enums and types, views, statements Tandem cannot see into, and style advice for new tables. In
 * the order their findings are listed.
 */
public final class RuleGroupB {
    private static final List<Rule> RULES = List.of(
            // indexes
            new CreateIndexNonConcurrentRule(),
            new CreateIndexOnPartitionedTableRule(),
            new CreateUniqueIndexMayFailRule(),
            new ConcurrentIndexPg14CorruptionRule(),
            new DropIndexNonConcurrentRule(),
            new ReindexNonConcurrentRule(),
            new ConcurrentlyInTransactionRule(),
            new ConcurrentlyRejectedRule(),
            // tables, schemas, databases
            new RenameTableRule(),
            new DropTableRule(),
            new TruncateTableRule(),
            new TruncateCascadeRule(),
            new DropSchemaRule(),
            new RenameSchemaRule(),
            new DropDatabaseRule(),
            new CreateDatabaseRule(),
            // storage and maintenance
            new SetLoggedOrUnloggedRule(),
            new SetTablespaceRule(),
            new SetAccessMethodRule(),
            new VacuumFullRule(),
            new NonTransactionalCommandInTransactionRule(),
            new ClusterRewritesTableRule(),
            new RefreshMaterializedViewNonConcurrentRule(),
            new ReplicaIdentityFullRule(),
            new AutovacuumDisabledRule(),
            // partitions
            new AttachPartitionScansRule(),
            new DefaultPartitionScanRule(),
            new DetachPartitionNonConcurrentRule(),
            // data
            new WholeTableUpdateRule(),
            new DeleteWithoutWhereRule(),
            new CopyIntoExistingTableRule(),
            // locks and transactions
            new LockTableRule(),
            new WorkAfterAccessExclusiveLockRule(),
            new MultipleAlterTableSameTableRule(),
            new TransactionNestingRule(),
            new UncommittedTransactionRule(),
            new NonTransactionalNotIdempotentRule(),
            // enums, types, views
            new EnumAddValueRule(),
            new EnumValueUsedInSameTransactionRule(),
            new EnumRenameValueRule(),
            new DropTypeRule(),
            new DropViewRule(),
            new RenameViewRule(),
            // statements Tandem cannot see into
            new DoBlockRule(),
            new CallProcedureRule(),
            new OpaqueStatementRule(),
            // style for new tables
            new PreferBigintPrimaryKeyRule(),
            new PreferIdentityRule(),
            new PreferTimestamptzRule(),
            new IdentifierTooLongRule());

    private RuleGroupB() {}

    public static List<Rule> rules() {
        return RULES;
    }
}
