package dev.tandem.error;

/**
 * The one unchecked base exception of Tandem (Jdbi-style): subclasses live beside the code that
 * throws them. Every instance carries an {@link ErrorCode}, which decides the process exit code,
 * and a message written for the user: what is wrong, where (file and line), and what to do.
 */
public class TandemException extends RuntimeException {
    private final ErrorCode code;

    public TandemException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public TandemException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
