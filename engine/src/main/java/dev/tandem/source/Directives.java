package dev.tandem.source;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Tandem's comment directives found in the comments before one statement.
 *
 * <p>A directive is a SQL comment whose text starts with {@code migrate:} directly followed by a
 * lower-case word:
 *
 * <pre>
 *   -- migrate:ignore rule-a, rule-b        suppress these rules for the statement that follows
 *   /* migrate:ignore rule-a *&#47;           the same, as a block comment
 *   -- migrate:ignore-file rule-a           suppress for every statement of the migration,
 *                                           wherever it stands between statements
 *   -- migrate:ignore rule-a -- reason      text after "--" is a free reason, not a rule id
 *   -- migrate:backfill lower(email)        any other word: an annotation for the planner,
 *                                           kept as "backfill lower(email)"
 * </pre>
 *
 * Comments of other tools ({@code -- squawk-ignore …}, {@code -- lint:ignore …},
 * {@code -- atlas:nolint …}) and prose such as {@code -- migrate: users to the new table} (a space
 * after the colon) are not directives. A malformed directive is an error instead of being
 * ignored: a suppression that silently applies to nothing misleads whoever reads the migration.
 *
 * @param ignoredRules     rule ids of {@code migrate:ignore} directives
 * @param annotations      other directives, without the {@code migrate:} prefix
 * @param fileIgnoredRules rule ids of {@code migrate:ignore-file} directives
 */
public record Directives(Set<String> ignoredRules, List<String> annotations, Set<String> fileIgnoredRules) {

    public static final Directives NONE = new Directives(Set.of(), List.of(), Set.of());

    /** The marker every directive starts with. */
    public static final String PREFIX = "migrate:";

    private static final Pattern WORD = Pattern.compile("[a-z][a-z0-9]*(?:-[a-z0-9]+)*");
    private static final Pattern RULE_ID = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    public Directives {
        ignoredRules = Set.copyOf(ignoredRules);
        annotations = List.copyOf(annotations);
        fileIgnoredRules = Set.copyOf(fileIgnoredRules);
    }

    /** One directive. */
    public sealed interface Directive {}

    /** {@code migrate:ignore a, b}. */
    public record Ignore(Set<String> rules) implements Directive {
        public Ignore {
            rules = Set.copyOf(rules);
        }
    }

    /** {@code migrate:ignore-file a, b}. */
    public record IgnoreFile(Set<String> rules) implements Directive {
        public IgnoreFile {
            rules = Set.copyOf(rules);
        }
    }

    /** Any other {@code migrate:word rest}, as {@code "word rest"}. */
    public record Annotation(String text) implements Directive {}

    /**
     * Collects the directives among the comments before one statement.
     *
     * @param comments each comment's text without its markers, as
     *                 {@link dev.tandem.sql.RawStatement#leadingComments()} gives them
     * @param where    the place of a comment for an error message ({@code "V2__x.sql:4"}); only
     *                 called for a malformed directive
     * @throws TandemException ({@link ErrorCode#INVALID_ARGUMENT}) for a malformed directive
     */
    public static Directives of(List<String> comments, Function<String, String> where) {
        if (comments.isEmpty()) return NONE;
        Set<String> ignored = null;
        List<String> annotations = null;
        Set<String> fileIgnored = null;
        for (String comment : comments) {
            Optional<Directive> d = parse(comment, where);
            if (d.isEmpty()) continue;
            switch (d.get()) {
                case Ignore i -> (ignored == null ? ignored = new LinkedHashSet<>() : ignored).addAll(i.rules());
                case IgnoreFile f -> (fileIgnored == null ? fileIgnored = new LinkedHashSet<>() : fileIgnored).addAll(f.rules());
                case Annotation a -> (annotations == null ? annotations = new ArrayList<>() : annotations).add(a.text());
            }
        }
        if (ignored == null && annotations == null && fileIgnored == null) return NONE;
        return new Directives(ignored == null ? Set.of() : ignored, annotations == null ? List.of() : annotations,
                fileIgnored == null ? Set.of() : fileIgnored);
    }

    /**
     * Reads one comment's text (without its {@code --} or {@code /* *&#47;} markers).
     *
     * @return empty when the comment is not a Tandem directive
     * @throws TandemException ({@link ErrorCode#INVALID_ARGUMENT}) for a malformed directive, naming
     *                         the place and what to write instead
     */
    public static Optional<Directive> parse(String comment, Function<String, String> where) {
        String text = comment.strip();
        if (!text.startsWith(PREFIX) || text.length() == PREFIX.length()
                || !Character.isLetter(text.charAt(PREFIX.length()))) {
            return Optional.empty();
        }
        String rest = text.substring(PREFIX.length());
        int space = indexOfWhitespace(rest);
        String word = space < 0 ? rest : rest.substring(0, space);
        String argument = space < 0 ? "" : rest.substring(space).strip();
        if (!WORD.matcher(word).matches()) {
            String lower = word.toLowerCase(Locale.ROOT);
            String suggestion = WORD.matcher(lower).matches() ? lower : "ignore";
            throw invalid(where, comment, "'" + PREFIX + word + "' is not a Tandem directive: directive names are"
                    + " lower-case kebab-case; write '-- " + PREFIX + suggestion
                    + (argument.isEmpty() ? "" : " " + argument) + "'");
        }
        return Optional.of(switch (word) {
            case "ignore" -> new Ignore(ruleIds(word, argument, where, comment));
            case "ignore-file" -> new IgnoreFile(ruleIds(word, argument, where, comment));
            default -> new Annotation(argument.isEmpty() ? word : word + " " + WHITESPACE.matcher(argument).replaceAll(" "));
        });
    }

    private static Set<String> ruleIds(String word, String argument, Function<String, String> where, String comment) {
        String list = argument;
        int reason = list.indexOf("--");
        if (reason >= 0) list = list.substring(0, reason);
        list = list.strip();
        if (list.isEmpty()) {
            throw invalid(where, comment, "'" + PREFIX + word + "' names no rule: write '-- " + PREFIX + word
                    + " rule-id[, rule-id …]' with the rule ids of the findings to suppress"
                    + " (shown as \"rule\" in the plan, e.g. '-- " + PREFIX + word + " set-not-null-scans-table')");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String part : list.split(",", -1)) {
            String id = part.strip();
            if (!RULE_ID.matcher(id).matches()) {
                String fixed = WHITESPACE.matcher(id.toLowerCase(Locale.ROOT).replace('_', '-')).replaceAll("-");
                throw invalid(where, comment, (id.isEmpty() ? "an empty rule id" : "'" + id + "' is not a rule id")
                        + " in '" + PREFIX + word + " " + list + "': rule ids are lower-case kebab-case,"
                        + " separated by commas; write e.g. '-- " + PREFIX + word + " "
                        + (RULE_ID.matcher(fixed).matches() ? fixed : "rule-a, rule-b") + "'");
            }
            ids.add(id);
        }
        return ids;
    }

    private static TandemException invalid(Function<String, String> where, String comment, String message) {
        return new TandemException(ErrorCode.INVALID_ARGUMENT, where.apply(comment) + ": " + message);
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) return i;
        }
        return -1;
    }
}
