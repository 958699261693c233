package dev.tandem.source;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A plain SQL file, as {@code psql -f} would run it: one {@link Migration} with version
 * {@code "1"}, type {@link MigrationType#VERSIONED}, the file name without {@code .sql} as
 * description and the file name as script.
 *
 * <p>{@link Migration#transactional()}: a file is treated as one transaction (the way a runner
 * such as {@code psql --single-transaction} or Flyway would apply it, and what an
 * expand/contract plan wants) unless it contains a statement PostgreSQL refuses inside a
 * transaction block (CREATE/DROP INDEX CONCURRENTLY, REINDEX … CONCURRENTLY, DETACH PARTITION …
 * CONCURRENTLY, VACUUM, CREATE/DROP DATABASE, ALTER SYSTEM, …, see
 * {@link TransactionBlock#forbidden}), or manages its own transactions with explicit BEGIN/COMMIT
 * (e.g. around {@code ALTER TYPE … ADD VALUE}). Such a file can only run the way plain
 * {@code psql -f} runs it, in autocommit, one statement at a time, so it is
 * {@code transactional = false}; its BEGIN/COMMIT statements then open and close their own
 * transactions.
 *
 * <p>A file that starts with {@code --liquibase formatted sql} is a Liquibase changelog, and
 * reading it as plain SQL would drop its changeSet structure: it is refused with a hint to use
 * {@code --changelog}.
 */
public final class SqlFileSource implements MigrationSource {
    private static final Pattern LIQUIBASE_HEADER =
            Pattern.compile("\\A\\s*--\\s*liquibase\\s+formatted\\s+sql", Pattern.CASE_INSENSITIVE);

    private final Path file;

    public SqlFileSource(Path file) {
        this.file = file;
    }

    @Override
    public List<Migration> load() {
        String name = file.getFileName().toString();
        String text = read(file);
        if (LIQUIBASE_HEADER.matcher(text).lookingAt()) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT, file + ": this is a Liquibase formatted SQL"
                    + " changelog (it starts with '--liquibase formatted sql'): plan it with --changelog " + file);
        }
        SqlScript script = SqlScript.parse(text, name, 1);
        boolean transactional = script.statements().stream()
                .noneMatch(s -> TransactionBlock.forbidden(s.sql()) || TransactionBlock.controlsTransaction(s.sql()));
        String description = name.regionMatches(true, name.length() - 4, ".sql", 0, 4)
                ? name.substring(0, name.length() - 4) : name;
        return List.of(new Migration("1", description, name, MigrationType.VERSIONED, script.statements(),
                transactional, script.ignoredRules()));
    }

    /** Reads a UTF-8 text file, with messages that say what to do. */
    private static String read(Path file) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new TandemException(ErrorCode.UNREADABLE_INPUT,
                    file + ": not UTF-8 text — save the file as UTF-8", e);
        } catch (NoSuchFileException e) {
            throw new TandemException(ErrorCode.UNREADABLE_INPUT, "no such file: " + file, e);
        } catch (AccessDeniedException e) {
            throw new TandemException(ErrorCode.UNREADABLE_INPUT, "cannot read " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new TandemException(ErrorCode.UNREADABLE_INPUT, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
