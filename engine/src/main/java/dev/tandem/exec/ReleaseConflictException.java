package dev.tandem.exec;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;

/**
 * What a run was asked to do conflicts with the release recorded in the database: the plan
 * changed under an unfinished release, a phase was asked for before the one it follows, or a
 * rollback met an irreversible step (exit code 1). Nothing was run past the point the message names.
 */
public final class ReleaseConflictException extends TandemException {
    ReleaseConflictException(String message) {
        super(ErrorCode.RELEASE_CONFLICT, message);
    }
}
