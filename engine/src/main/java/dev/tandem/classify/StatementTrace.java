package dev.tandem.classify;

import java.util.List;

/**
 * How a statement was traced on a scratch database ({@code migrate plan --trace-url}); a
 * {@link StatementResult} without one was judged by the rules alone.
 *
 * @param how      {@code rolled-back} (observed inside a transaction that was rolled back) or
 *                 {@code ran-for-real} (a statement that cannot run in a transaction; its locks are
 *                 the documented ones)
 * @param commands the DDL command tags PostgreSQL reported (empty without a superuser)
 * @param error    PostgreSQL's message when the statement failed on the scratch database, else null
 */
public record StatementTrace(String how, List<String> commands, String error) {
    public StatementTrace {
        commands = List.copyOf(commands);
    }
}
