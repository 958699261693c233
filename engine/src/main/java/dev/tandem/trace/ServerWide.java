package dev.tandem.trace;

import dev.tandem.sql.Change;
import java.util.regex.Pattern;

/**
 * Statements whose effect reaches past the scratch database: databases, tablespaces, roles and
 * the server's configuration belong to the whole server (on {@code --trace-url}, the user's), and
 * a subscription connects to another server. The tracer observes such a statement in a
 * transaction that is rolled back, where PostgreSQL allows that, and never runs it for real.
 */
final class ServerWide {
    private static final Pattern ROLE_DDL = Pattern.compile("(?is)\\s*(create|alter|drop)\\s+(role|user|group)\\b.*");
    private static final Pattern REASSIGN = Pattern.compile("(?is)\\s*reassign\\b.*");
    /** GRANT / REVOKE without ON: role membership, which is the server's. */
    private static final Pattern MEMBERSHIP = Pattern.compile("(?is)\\s*(grant|revoke)\\b(?!.*\\bon\\b).*");
    private static final Pattern ALTER_SYSTEM = Pattern.compile("(?is)\\s*alter\\s+system\\b.*");

    private ServerWide() {}

    /** Why {@code change} must not run for real on the trace server, or {@code null} when its effect stays in the scratch database. */
    static String reason(Change change, String sql) {
        return switch (change) {
            case Change.DatabaseChange d -> "a database belongs to the server, not to the scratch database";
            case Change.OtherDdl o when o.objectKind().equals("tablespace") -> "a tablespace belongs to the whole server";
            case Change.OtherDdl o when o.objectKind().equals("subscription") -> "a subscription connects to another server";
            case Change.Privileges p when ROLE_DDL.matcher(p.text()).matches() || REASSIGN.matcher(p.text()).matches()
                    || MEMBERSHIP.matcher(p.text()).matches() -> "roles belong to the whole server";
            default -> ALTER_SYSTEM.matcher(sql).matches()
                    ? "ALTER SYSTEM changes the server's configuration" : null;
        };
    }
}
