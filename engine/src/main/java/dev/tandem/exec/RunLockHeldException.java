package dev.tandem.exec;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import java.time.Instant;

/**
 * Another {@code migrate apply} holds the run lock of the database (exit code 3).
 *
 * @see RunLock
 */
public final class RunLockHeldException extends TandemException {
    private final Integer holderPid;
    private final Instant holderSince;

    RunLockHeldException(String message, Integer holderPid, Instant holderSince) {
        super(ErrorCode.RUN_LOCKED, message);
        this.holderPid = holderPid;
        this.holderSince = holderSince;
    }

    /** The backend pid of the holder, or {@code null} when it let go before it could be named. */
    public Integer holderPid() {
        return holderPid;
    }

    /** When the holder's session started (it takes the lock right after), or {@code null}. */
    public Instant holderSince() {
        return holderSince;
    }
}
