package dev.tandem.trace;

import dev.tandem.classify.TableLock;
import java.util.List;

/**
 * What PostgreSQL did when one statement ran on the scratch database, about the relations that
 * existed before it (tables it creates are nobody's traffic yet).
 *
 * @param how      how it was observed
 * @param locks    the strongest lock held per pre-existing table, view or materialized view at the
 *                 end of the statement ({@code schema.name}, by its name before the statement)
 * @param rewrites pre-existing tables rewritten: a {@code table_rewrite} event, or a new
 *                 {@code relfilenode} (TRUNCATE excepted: it empties, it does not rewrite)
 * @param scans    pre-existing tables read in full: {@code seq_scan} of
 *                 {@code pg_stat_xact_user_tables} went up (validations and index builds count)
 * @param commands the command tags {@code ddl_command_end} reported, in order
 * @param error    PostgreSQL's message when the statement failed on the scratch database (the
 *                 other facts are then empty), else {@code null}
 */
public record TraceFacts(How how, List<TableLock> locks, List<String> rewrites, List<String> scans, List<String> commands,
        String error) {
    public TraceFacts {
        locks = List.copyOf(locks);
        rewrites = List.copyOf(rewrites);
        scans = List.copyOf(scans);
        commands = List.copyOf(commands);
    }

    /** How a statement was observed. */
    public enum How {
        /** Inside a transaction that was rolled back, then run again for real for the statements after it. */
        ROLLED_BACK,
        /**
         * Run for real, outside a transaction ({@code CONCURRENTLY}): its locks come and go while
         * it runs, so {@link #locks} are the ones its command is documented to take.
         */
        RAN_FOR_REAL
    }
}
