package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import java.util.List;

/** Group A: columns, types, constraints and domains. */
public final class RuleGroupA {
    private RuleGroupA() {}

    private static final List<Rule> RULES = List.of(
            // columns
            new AddColumnVolatileDefaultRule(),
            new AddColumnNotNullWithoutDefaultRule(),
            new AddColumnGeneratedStoredRule(),
            new AddColumnSerialRule(),
            new AddColumnIdentityRule(),
            new AddColumnJsonRule(),
            new AddColumnInlineUniqueRule(),
            new AddColumnInlinePrimaryKeyRule(),
            new AddColumnInlineCheckRule(),
            new AddColumnInlineReferencesRule(),
            new DropColumnRule(),
            new RenameColumnRule(),
            new SetNotNullScansTableRule(),
            new AddNotNullConstraintRule(),
            new DropNotNullRule(),
            new DropDefaultOnNotNullColumnRule(),
            // types
            new ColumnTypeChangeRewritesRule(),
            new ColumnTypeNarrowingRule(),
            new TimestampToTimestamptzRule(),
            new PrimaryKeyTypeChangeRule(),
            new ColumnTypeChangeRebuildsIndexesRule(),
            new ColumnTypeChangeRevalidatesChecksRule(),
            // constraints
            new AddCheckConstraintValidatesRule(),
            new AddForeignKeyValidatesRule(),
            new ValidateInSameTransactionRule(),
            new AddUniqueConstraintBuildsIndexRule(),
            new AddPrimaryKeyBuildsIndexRule(),
            new PrimaryKeyUsingIndexScansNullableRule(),
            new AddExclusionConstraintRule(),
            new DropForeignKeyLocksReferencedTableRule(),
            new DropUniqueOrPrimaryKeyConstraintRule(),
            new ForeignKeyWithoutIndexRule(),
            // domains
            new AlterDomainAddConstraintRule(),
            new AlterDomainSetNotNullRule(),
            new AlterDomainValidateConstraintRule(),
            new CreateDomainWithConstraintRule());

    public static List<Rule> rules() {
        return RULES;
    }
}
