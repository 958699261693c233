/**
 * The executor of {@code migrate apply} (DESIGN.md, "exec"): runs the phases of a
 * {@link dev.tandem.plan.ReleasePlan} against the target database, resumably.
 *
 * <ul>
 *   <li>{@link dev.tandem.exec.Executor}: {@code apply}, {@code rollback}, {@code status}, {@code events}.</li>
 *   <li>One runner per database: {@link dev.tandem.exec.RunLock}, a session-level advisory lock on a
 *       connection of its own; a second runner fails with {@link dev.tandem.exec.RunLockHeldException}
 *       naming the holder, or waits.</li>
 *   <li>Every attempt runs under {@code lock_timeout}, and a {@code statement_timeout} by step kind
 *       ({@link dev.tandem.state.StepKind}); lock timeouts, deadlocks and serialization failures
 *       are retried with exponential backoff and full jitter. Sleeper, random generator and clock
 *       are injected ({@link dev.tandem.exec.ExecOptions}).</li>
 *   <li>State in the {@code tandem} schema ({@link dev.tandem.state}): a transactional step is
 *       recorded done in its own transaction (it runs exactly once); a backfill batch commits its
 *       checkpoint with its rows. A killed run resumes at the first unfinished step.</li>
 *   <li>The release is identified by its {@link dev.tandem.exec.Fingerprint}; a changed plan under
 *       an unfinished release is refused ({@link dev.tandem.exec.ReleaseConflictException}).</li>
 *   <li>A failed step surfaces as {@link dev.tandem.exec.StepFailedException}: migration, line, SQL,
 *       PostgreSQL's message and SQLSTATE.</li>
 * </ul>
 */
package dev.tandem.exec;
