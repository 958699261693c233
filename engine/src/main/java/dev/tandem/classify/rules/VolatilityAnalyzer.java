package dev.tandem.classify.rules;

import dev.tandem.sql.Expr;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a DEFAULT expression is volatile, which is what makes {@code ADD COLUMN … DEFAULT}
 * rewrite the table since PostgreSQL 11 (a non-volatile default is evaluated once and stored as
 * the column's "missing value"; a volatile one must be computed for every existing row).
 *
 * <p>An expression is non-volatile when every function it calls is known to be IMMUTABLE or
 * STABLE. The lists below are {@code pg_proc.provolatile} of PostgreSQL 15's built-ins (queried,
 * not guessed); a function Tandem does not know, including any user-defined one, counts as
 * volatile.
 */
final class VolatilityAnalyzer {
    private VolatilityAnalyzer() {}

    /** Known volatile ({@code provolatile = 'v'}) built-ins and common extension functions. */
    private static final Set<String> VOLATILE = Set.of(
            "random", "random_normal", "setseed", "clock_timestamp", "timeofday", "nextval", "currval", "lastval",
            "gen_random_uuid", "uuidv4", "uuidv7", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
            "gen_random_bytes", "gen_salt", "pg_sleep");

    /**
     * IMMUTABLE or STABLE built-ins (PG15 {@code pg_proc}; e.g. {@code now}, {@code statement_timestamp},
     * {@code txid_current} and {@code to_char} are STABLE: evaluated once for the whole ALTER), plus
     * the SQL value keywords the parser reports as functions.
     */
    private static final Set<String> NON_VOLATILE = Set.of(
            // date/time (stable)
            "now", "transaction_timestamp", "statement_timestamp", "current_timestamp", "current_date", "current_time",
            "localtimestamp", "localtime", "age", "date_part", "date_trunc", "extract", "make_date", "make_time",
            "make_timestamp", "make_timestamptz", "make_interval", "to_timestamp", "to_date", "to_char", "to_number",
            "timezone", "date_bin", "justify_days", "justify_hours", "justify_interval", "isfinite",
            // session values (stable)
            "current_user", "session_user", "user", "current_role", "current_catalog", "current_schema",
            "current_database", "current_setting", "version", "pg_backend_pid", "inet_client_addr",
            "txid_current", "pg_current_xact_id",
            // conditional and comparison (immutable)
            "coalesce", "nullif", "greatest", "least",
            // strings (immutable unless noted)
            "lower", "upper", "initcap", "length", "char_length", "character_length", "octet_length", "bit_length",
            "substring", "substr", "replace", "translate", "trim", "btrim", "ltrim", "rtrim", "lpad", "rpad", "left",
            "right", "repeat", "reverse", "strpos", "position", "split_part", "regexp_replace", "regexp_substr",
            "string_to_array", "array_to_string", "concat", "concat_ws", "format", "md5", "sha224", "sha256", "sha384",
            "sha512", "encode", "decode", "chr", "ascii", "quote_ident", "quote_literal", "quote_nullable", "to_hex",
            "starts_with", "overlay",
            // numbers (immutable)
            "abs", "round", "trunc", "floor", "ceil", "ceiling", "sign", "mod", "power", "sqrt", "cbrt", "exp", "ln",
            "log", "log10", "pi", "div", "width_bucket", "gcd", "lcm",
            // casts written as functions (immutable)
            "int2", "int4", "int8", "float4", "float8", "numeric", "text", "bool", "varchar", "bpchar", "date",
            "timestamp", "timestamptz", "interval", "uuid", "jsonb", "json",
            // json and arrays (stable / immutable)
            "to_json", "to_jsonb", "json_build_object", "jsonb_build_object", "json_build_array", "jsonb_build_array",
            "row_to_json", "array_to_json", "jsonb_set", "jsonb_strip_nulls", "json_object", "jsonb_object",
            "array_fill", "array_length", "cardinality", "array_append", "array_prepend", "array_cat",
            "array_remove", "array_replace", "array_position", "array_positions", "array_dims", "array_lower",
            "array_upper", "array_ndims", "unnest",
            // misc (immutable)
            "uuid_nil", "uuid_ns_dns", "uuid_ns_url", "uuid_ns_oid", "uuid_ns_x500", "uuid_generate_v3",
            "uuid_generate_v5", "inet", "cidr", "host", "network", "masklen", "set_masklen");

    /**
     * The functions in {@code expr} that are (or, unknown, may be) volatile, lower-case and without
     * schema; empty when the expression is known to be non-volatile.
     */
    static List<String> volatileFunctions(Expr expr) {
        if (expr == null) return List.of();
        return expr.functions().stream()
                .map(VolatilityAnalyzer::bare)
                .filter(f -> VOLATILE.contains(f) || !NON_VOLATILE.contains(f))
                .distinct()
                .toList();
    }

    /** Whether {@code function} is known to be volatile (not merely unknown). */
    static boolean knownVolatile(String function) {
        return VOLATILE.contains(bare(function));
    }

    private static String bare(String function) {
        String f = function.toLowerCase(Locale.ROOT);
        int dot = f.lastIndexOf('.');
        return dot >= 0 ? f.substring(dot + 1) : f;
    }
}
