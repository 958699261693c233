/**
 * The phase planner: classified statements of all pending migrations → one {@link
 * dev.tandem.plan.ReleasePlan} with the phases expand, backfill and contract (DESIGN.md). Pure: no
 * JDBC; the executor of a later issue runs the output unchanged.
 *
 * <h2>Model</h2>
 * A {@link dev.tandem.plan.ReleasePlan} holds one {@link dev.tandem.plan.PhasePlan} per
 * {@link dev.tandem.plan.Phase}, each a list of {@link dev.tandem.plan.Step}s, plus the
 * {@link dev.tandem.plan.Unplanned} statements (blocking, review, no recipe yet, a missing fact,
 * or an order problem between migrations). A step is either a {@link dev.tandem.plan.SqlStep}
 * (one statement, transactional or not, expected locks, rollback or the reason there is none, and
 * the {@code onlyIf}/{@code cleanup} guards that make it safe to retry) or a
 * {@link dev.tandem.plan.BackfillStep} (table, key, SET, WHERE: a batched data change). All are
 * records of strings, booleans and lists, so that rendering the JSON {@code phases} of DESIGN.md is
 * a field-by-field mapping: {@code { "phase": "expand", "steps": [ { "migration": "2", "sql": "…",
 * "transactional": true, "rollback": "…" } ] }}.
 *
 * <h2>Recipes</h2>
 * One class per hazard family, each returning steps as data: {@code IndexRecipe} (CREATE INDEX,
 * DROP INDEX, REINDEX → CONCURRENTLY), {@code ConstraintRecipe} (CHECK, FOREIGN KEY → NOT VALID +
 * VALIDATE), {@code UniqueKeyRecipe} (UNIQUE, PRIMARY KEY → concurrent unique index + USING INDEX,
 * NOT NULL proven first), {@code NotNullRecipe} (SET NOT NULL → after the gate, through a
 * validated CHECK), {@code AttachPartitionRecipe} (a validated CHECK matching the bound first),
 * {@code AddColumnRecipe} (volatile default, serial, identity, stored generated, NOT NULL without
 * a default → nullable column, values for new rows, backfill, NOT NULL after the gate),
 * {@code RenameColumnRecipe} and {@code TypeChangeRecipe} (a copy column kept in step by a
 * trigger, backfilled, indexes copied concurrently, swapped in one transaction in contract; the
 * machinery is {@code ColumnCopy}), {@code RenameTableRecipe} (the old name as an updatable view
 * until contract), {@code RemovalRecipe} (drops and TRUNCATE after the gate, destructive ones
 * marked), {@code BackfillRecipe} (whole-table UPDATE / DELETE → keyset batches),
 * {@code RefreshRecipe} (REFRESH … CONCURRENTLY) and {@code AsIsRecipe} (compatible statements,
 * with their inverse). The {@link dev.tandem.plan.Planner} chooses by a switch over the
 * statement's {@code Change} and {@code AlterAction} type, and refuses (reason {@code order}) a
 * statement that would run before an earlier one's later-phase work on the same table, column or
 * index.
 */
package dev.tandem.plan;
