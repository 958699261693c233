package dev.tandem.source;

import dev.tandem.sql.SqlLexer;
import dev.tandem.sql.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Statements that cannot run inside a transaction block, by two authorities:
 * {@link #forbidden} is PostgreSQL's own (what fails with "… cannot run inside a transaction
 * block", checked against PostgreSQL 15), {@link #flywayNonTransactional} is what Flyway's
 * PostgreSQL parser detects and therefore runs outside a transaction.
 */
final class TransactionBlock {
    private TransactionBlock() {}

    /** First words of the statements either list can contain; anything else is cheap to reject. */
    private static final Set<String> FIRST_WORDS =
            Set.of("create", "drop", "reindex", "alter", "vacuum", "cluster", "discard", "start");

    /**
     * Whether PostgreSQL refuses {@code sql} inside a transaction block: CREATE/DROP INDEX
     * CONCURRENTLY, REINDEX … CONCURRENTLY (PG 12) and REINDEX SCHEMA/DATABASE/SYSTEM, ALTER TABLE
     * … DETACH PARTITION … CONCURRENTLY (PG 14), VACUUM, CLUSTER without a table, CREATE/DROP
     * DATABASE and TABLESPACE, ALTER DATABASE … SET TABLESPACE, ALTER SYSTEM, DISCARD ALL, and
     * CREATE/DROP SUBSCRIPTION (which create or drop a replication slot by default).
     *
     * @param sql one statement without leading comments, as {@link Statement#sql()} holds it
     */
    static boolean forbidden(String sql) {
        // Only ALTER TABLE … DETACH PARTITION … CONCURRENTLY needs more than the first words.
        List<String> w = topLevelWords(sql, detachConcurrently(sql) ? Integer.MAX_VALUE : 8);
        if (w.isEmpty()) return false;
        return switch (w.getFirst()) {
            case "vacuum" -> true;
            case "cluster" -> w.size() == 1 || (w.size() == 2 && w.get(1).equals("verbose"));
            case "discard" -> w.size() > 1 && w.get(1).equals("all");
            case "create" -> at(w, 1, "database", "tablespace", "subscription") || indexConcurrently(w);
            case "drop" -> at(w, 1, "database", "tablespace", "subscription") || indexConcurrently(w);
            case "reindex" -> w.contains("concurrently") || reindexesMany(w)
                    // REINDEX (CONCURRENTLY) TABLE t: the option list is in parentheses (PG 14).
                    || concurrentlyOption(sql);
            case "alter" -> at(w, 1, "system")
                    || (at(w, 1, "database") && containsSequence(w, "set", "tablespace"))
                    || (at(w, 1, "table") && containsSequence(w, "detach", "partition") && w.contains("concurrently"));
            default -> false;
        };
    }

    /**
     * Whether Flyway 13's PostgreSQL parser classifies {@code sql} as non-transactional. This
     * mirrors {@code PostgreSQLParser.detectCanExecuteInTransaction} of flyway-database-postgresql
     * 13.12.0 (its keywords at parenthesis depth 0, upper-cased and joined by spaces, matched
     * against anchored patterns): CREATE/DROP DATABASE, TABLESPACE or SUBSCRIPTION, ALTER SYSTEM,
     * CREATE [UNIQUE] INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, REINDEX [VERBOSE]
     * SCHEMA/DATABASE/SYSTEM, VACUUM and DISCARD ALL. Flyway also treats ALTER TYPE … ADD VALUE as
     * non-transactional, but only on PostgreSQL before 12, which Tandem does not support.
     *
     * <p>Flyway's parser is not called directly because it needs about 180 µs a statement (1.8 s
     * for 10,000 statements), more than the whole plan may take; {@code FlywayParityTest} checks
     * this copy against it.
     *
     * <p>Flyway does not detect REINDEX TABLE … CONCURRENTLY or DETACH PARTITION … CONCURRENTLY:
     * it runs them in the migration's transaction, where PostgreSQL rejects them.
     */
    static boolean flywayNonTransactional(String sql) {
        List<String> w = topLevelWords(sql, 4);
        if (w.isEmpty()) return false;
        return switch (w.getFirst()) {
            case "vacuum" -> true;
            case "discard" -> at(w, 1, "all");
            case "alter" -> at(w, 1, "system");
            case "create", "drop" -> at(w, 1, "database", "tablespace", "subscription")
                    || (at(w, 1, "index") && at(w, 2, "concurrently"))
                    || (at(w, 1, "unique") && at(w, 2, "index") && at(w, 3, "concurrently"));
            case "reindex" -> at(w, 1, "schema", "database", "system")
                    || (at(w, 1, "verbose") && at(w, 2, "schema", "database", "system"));
            default -> false;
        };
    }

    /**
     * Whether {@code sql} is explicit transaction control (BEGIN, START TRANSACTION, COMMIT, END,
     * ROLLBACK, ABORT): a script with such statements manages its own transactions, as under psql.
     * Not SAVEPOINT or ROLLBACK TO SAVEPOINT, which live inside a transaction.
     */
    static boolean controlsTransaction(String sql) {
        int end = 0;
        while (end < sql.length() && Character.isLetter(sql.charAt(end))) end++;
        String first = sql.substring(0, end).toLowerCase(Locale.ROOT);
        return switch (first) {
            case "begin", "commit", "end", "abort" -> true;
            case "start" -> at(topLevelWords(sql, 2), 1, "transaction");
            case "rollback" -> !sql.toLowerCase(Locale.ROOT).matches("(?s)rollback\\s+(?:work\\s+|transaction\\s+)?to\\b.*");
            default -> false;
        };
    }

    private static boolean detachConcurrently(String sql) {
        String lower = sql.toLowerCase(Locale.ROOT);
        return lower.contains("detach") && lower.contains("concurrently");
    }

    private static boolean indexConcurrently(List<String> w) {
        int i = at(w, 1, "unique") ? 2 : 1;
        return at(w, i, "index") && at(w, i + 1, "concurrently");
    }

    private static boolean reindexesMany(List<String> w) {
        for (int i = 1; i < Math.min(w.size(), 3); i++) {
            if (at(w, i, "schema", "database", "system")) return true;
        }
        return false;
    }

    private static boolean concurrentlyOption(String sql) {
        List<Token> tokens = SqlLexer.tokenize(sql);
        if (tokens.size() < 2 || tokens.get(1).kind() != Token.Kind.LPAREN) return false;
        for (int i = 2; i < tokens.size() && tokens.get(i).kind() != Token.Kind.RPAREN; i++) {
            Token t = tokens.get(i);
            if (t.isKeyword("concurrently")) {
                // CONCURRENTLY FALSE / OFF / 0 turns it off again.
                Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
                return next == null || !(next.isKeyword("false") || next.isKeyword("off")
                        || (next.kind() == Token.Kind.NUMBER && next.text().equals("0")));
            }
        }
        return false;
    }

    private static boolean containsSequence(List<String> w, String a, String b) {
        for (int i = 0; i + 1 < w.size(); i++) {
            if (w.get(i).equals(a) && w.get(i + 1).equals(b)) return true;
        }
        return false;
    }

    private static boolean at(List<String> w, int i, String... words) {
        if (i >= w.size()) return false;
        for (String word : words) {
            if (w.get(i).equals(word)) return true;
        }
        return false;
    }

    /**
     * Up to {@code max} unquoted words of {@code sql} outside parentheses, lower-cased; empty when
     * the statement cannot be one of the kinds above (decided on its first word).
     *
     * <p>A small scanner rather than {@link SqlLexer}: only the first words are needed, and
     * lexing every statement of a large history in full costs more than the rest of resolving it.
     * It skips what can hide a word or a parenthesis: comments (nested), string constants,
     * quoted identifiers and dollar quotes.
     */
    static List<String> topLevelWords(String sql, int max) {
        int n = sql.length();
        int end = 0;
        while (end < n && Character.isLetter(sql.charAt(end))) end++;
        if (end == 0 || !FIRST_WORDS.contains(sql.substring(0, end).toLowerCase(Locale.ROOT))) return List.of();
        List<String> words = new ArrayList<>();
        int depth = 0;
        int i = 0;
        while (i < n && words.size() < max) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int nl = sql.indexOf('\n', i);
                i = nl < 0 ? n : nl + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int nest = 1;
                i += 2;
                while (i < n && nest > 0) {
                    if (sql.startsWith("/*", i)) { nest++; i += 2; }
                    else if (sql.startsWith("*/", i)) { nest--; i += 2; }
                    else i++;
                }
            } else if (c == '\'' || c == '"') {
                // '' and "" inside are two quotes in a row: closing and reopening gives the same end.
                boolean escapes = c == '\'' && i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e');
                i++;
                while (i < n && sql.charAt(i) != c) i += escapes && sql.charAt(i) == '\\' ? 2 : 1;
                i++;
            } else if (c == '$' && (i == 0 || !isWordChar(sql.charAt(i - 1)))) {
                int tagEnd = i + 1;
                while (tagEnd < n && isWordChar(sql.charAt(tagEnd)) && sql.charAt(tagEnd) != '$') tagEnd++;
                if (tagEnd < n && sql.charAt(tagEnd) == '$' && (tagEnd == i + 1 || !Character.isDigit(sql.charAt(i + 1)))) {
                    String tag = sql.substring(i, tagEnd + 1);
                    int close = sql.indexOf(tag, tagEnd + 1);
                    i = close < 0 ? n : close + tag.length();
                } else {
                    i = tagEnd; // $1 parameter
                }
            } else if (c == '(') {
                depth++;
                i++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && isWordChar(sql.charAt(i))) i++;
                // E'…' and U&'…' prefixes are part of the string that follows.
                if (i < n && sql.charAt(i) == '\'' && i - start == 1) continue;
                if (depth == 0) words.add(sql.substring(start, i).toLowerCase(Locale.ROOT));
            } else {
                i++;
            }
        }
        return words;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
