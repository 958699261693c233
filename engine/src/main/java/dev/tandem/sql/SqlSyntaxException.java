package dev.tandem.sql;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;

/**
 * SQL that does not parse as PostgreSQL (an unterminated string, a statement that starts with no
 * PostgreSQL command, a malformed ALTER TABLE …). {@code line} and {@code column} are 1-based and
 * relative to the text that was given to the splitter or parser; the source layer adds the file
 * and the statement's own line before it reaches the user.
 */
public class SqlSyntaxException extends TandemException {
    private final int line;
    private final int column;
    private final String detail;

    public SqlSyntaxException(String detail, int line, int column) {
        super(ErrorCode.SQL_SYNTAX, "line " + line + ", column " + column + ": " + detail);
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** What is wrong, without the position. */
    public String detail() {
        return detail;
    }
}
