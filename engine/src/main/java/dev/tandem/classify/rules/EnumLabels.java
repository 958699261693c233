package dev.tandem.classify.rules;

import dev.tandem.sql.Change;
import java.util.Locale;

/** Enum labels as the parser may hand them over: with or without their SQL quotes. */
final class EnumLabels {
    private EnumLabels() {}

    /** The label itself: {@code 'it''s'} → {@code it's}; an unquoted label is returned as is. */
    static String unquoted(String label) {
        if (label == null) return null;
        String s = label.strip();
        if (s.length() >= 2 && s.startsWith("'") && s.endsWith("'")) {
            return s.substring(1, s.length() - 1).replace("''", "'");
        }
        return s;
    }

    /** The label as an SQL string literal: {@code it's} → {@code 'it''s'}. */
    static String literal(String label) {
        return "'" + unquoted(label).replace("'", "''") + "'";
    }

    /** Whether {@code t} is ALTER TYPE … ADD VALUE with a value. */
    static boolean addsValue(Change.AlterType t) {
        return t.action() != null && t.value() != null && t.action().toLowerCase(Locale.ROOT).equals("add value");
    }
}
