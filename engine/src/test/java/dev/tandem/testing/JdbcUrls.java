package dev.tandem.testing;

/** Rewrites the database part of a PostgreSQL JDBC URL, keeping hosts and parameters. */
final class JdbcUrls {
    private static final String PREFIX = "jdbc:postgresql:";

    private JdbcUrls() {
    }

    /**
     * {@code jdbc:postgresql://h:5432/postgres?ssl=false} with {@code db} becomes
     * {@code jdbc:postgresql://h:5432/db?ssl=false}. Handles multi-host URLs, URLs without a
     * database ({@code jdbc:postgresql://h}) and the short form {@code jdbc:postgresql:postgres}.
     */
    static String withDatabase(String url, String database) {
        if (!url.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + url);
        }
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        String params = query < 0 ? "" : url.substring(query);
        String rest = base.substring(PREFIX.length());
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            String hosts = slash < 0 ? rest : rest.substring(0, slash);
            return PREFIX + hosts + "/" + database + params;
        }
        // Short form: jdbc:postgresql:database (localhost:5432).
        return PREFIX + database + params;
    }
}
