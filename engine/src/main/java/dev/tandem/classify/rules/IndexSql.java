package dev.tandem.classify.rules;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The online spellings of index statements, derived from the statement as the user wrote it. */
final class IndexSql {
    private static final Pattern CREATE = Pattern.compile("(?is)^(\\s*create\\s+(?:unique\\s+)?index)(\\s+concurrently)?\\b");

    private IndexSql() {}

    /** {@code CREATE [UNIQUE] INDEX …} with CONCURRENTLY inserted after INDEX, ending with a semicolon. */
    static String withConcurrently(String createIndexSql) {
        Matcher m = CREATE.matcher(createIndexSql);
        String sql = m.find() && m.group(2) == null
                ? createIndexSql.substring(0, m.end(1)) + " CONCURRENTLY" + createIndexSql.substring(m.end(1))
                : createIndexSql;
        return terminated(sql.strip());
    }

    static String terminated(String sql) {
        String s = sql.strip();
        return s.endsWith(";") ? s : s + ";";
    }
}
