package dev.tandem.sql.internal;

/**
 * Thrown inside the parser when valid-looking PostgreSQL takes a form Tandem does not model; the
 * parser turns it into {@code Change.Opaque(reason)}. Carries no stack trace: it is control flow.
 */
public final class Unmodelled extends RuntimeException {
    public Unmodelled(String reason) {
        super(reason, null, false, false);
    }

    public String reason() {
        return getMessage();
    }
}
