package dev.tandem.classify;

import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.LockMode;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the statements before the current one did within the same migration: which tables they
 * created (new tables are invisible to the application until commit, so they are exempt from
 * lock and rewrite hazards), which transaction is open and which locks it holds, and which
 * session settings ({@code lock_timeout}, …) are in force. Updated by the {@link Classifier} after
 * each statement; rules only read it.
 */
public final class MigrationState {
    private final boolean migrationTransactional;
    private final Set<String> createdTables = new HashSet<>();
    private boolean inTransaction;
    private int statementsInTransaction;
    private final Map<String, LockMode> heldLocks = new LinkedHashMap<>();
    private final Set<String> notValidInTransaction = new HashSet<>();
    private final Map<String, String> settings = new HashMap<>();
    private final Map<String, String> localSettings = new HashMap<>();
    /** What a setting is before the migration sets it: the session's, where the caller knows it. */
    private final Map<String, String> sessionDefaults;
    private final List<Change> earlierChanges = new ArrayList<>();
    private final List<Change> transactionChanges = new ArrayList<>();

    public MigrationState(boolean migrationTransactional) {
        this(migrationTransactional, Map.of());
    }

    /**
     * @param sessionDefaults settings of the session the migration will run in (lower-case name →
     *                        value), where the caller knows them: {@code migrate apply} reads its
     *                        own session's TimeZone, {@code plan --trace} the trace session's
     */
    public MigrationState(boolean migrationTransactional, Map<String, String> sessionDefaults) {
        this.migrationTransactional = migrationTransactional;
        this.inTransaction = migrationTransactional;
        this.sessionDefaults = Map.copyOf(sessionDefaults);
    }

    /** Whether the runner wraps the whole migration in one transaction. */
    public boolean migrationTransactional() {
        return migrationTransactional;
    }

    /** Whether the current statement runs inside a transaction block. */
    public boolean inTransaction() {
        return inTransaction;
    }

    /** How many statements ran earlier in the current transaction. */
    public int statementsInTransaction() {
        return statementsInTransaction;
    }

    /** Whether {@code table} was created by an earlier statement of this migration. */
    public boolean createdInMigration(QualifiedName table) {
        return createdInMigration(table.display());
    }

    /** The same for a resolved {@code schema.name}. */
    public boolean createdInMigration(String table) {
        return createdTables.contains(table);
    }

    /**
     * Locks the open transaction already holds on pre-existing tables (table {@code schema.name} →
     * strongest mode). Tables created in this migration are left out: no one else can wait on them.
     */
    public Map<String, LockMode> heldLocks() {
        return Map.copyOf(heldLocks);
    }

    /** Whether constraint {@code name} on {@code table} was added NOT VALID in the open transaction. */
    public boolean addedNotValidInTransaction(QualifiedName table, String constraint) {
        return notValidInTransaction.contains(table.display() + "/" + constraint);
    }

    /**
     * A setting in force for the current statement ({@code lock_timeout} → {@code "2s"}): made by
     * an earlier statement (SET LOCAL, then SET), else the session's when the caller gave it, else
     * {@code null} (unknown: the server's default).
     */
    public String setting(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        if (localSettings.containsKey(key)) return localSettings.get(key);
        return settings.containsKey(key) ? settings.get(key) : sessionDefaults.get(key);
    }

    /** The changes of the earlier statements of this migration, in order (for rules that look back). */
    public List<Change> earlierChanges() {
        // A read-only view, not a copy: rules ask for it once per statement, and a pg_dump-style
        // baseline holds thousands of statements in one migration.
        return Collections.unmodifiableList(earlierChanges);
    }

    /**
     * The changes of the earlier statements of the open transaction, in order; empty outside a
     * transaction block (rules use it for what is not committed yet, e.g. a new enum value).
     */
    public List<Change> transactionChanges() {
        return Collections.unmodifiableList(transactionChanges);
    }

    /**
     * Records what {@code change} did, after the rules have looked at it.
     *
     * @param locks the locks it took on pre-existing tables
     */
    void after(Change change, Iterable<TableLock> locks) {
        earlierChanges.add(change);
        switch (change) {
            case Change.Transaction t -> {
                switch (t.kind()) {
                    case BEGIN -> {
                        inTransaction = true;
                        statementsInTransaction = 0;
                        // No clear of transactionChanges: after COMMIT/ROLLBACK it is empty already, and a
                        // BEGIN inside an open transaction only warns; that transaction goes on.
                        return;
                    }
                    case COMMIT, ROLLBACK -> {
                        // In a runner-wrapped migration a COMMIT ends the runner's transaction too;
                        // PostgreSQL then runs the rest in autocommit (and warns at the runner's COMMIT).
                        inTransaction = false;
                        endTransaction();
                        return;
                    }
                    default -> { }
                }
            }
            case Change.CreateTable ct -> createdTables.add(ct.name().display());
            case Change.CreateView cv when cv.materialized() -> createdTables.add(cv.name().display());
            case Change.AlterTable at -> {
                for (AlterAction a : at.actions()) {
                    if (a instanceof AlterAction.RenameTable r && createdInMigration(at.table())) {
                        createdTables.remove(at.table().display());
                        createdTables.add(new QualifiedName(at.table().resolved().schema(), r.newName()).display());
                    }
                    if (a instanceof AlterAction.AddConstraint ac && ac.constraint().notValid() && ac.constraint().name() != null
                            && inTransaction) {
                        notValidInTransaction.add(at.table().display() + "/" + ac.constraint().name());
                    }
                }
            }
            case Change.SetParameter sp -> {
                // SET LOCAL lasts until the end of the transaction; outside one it has no effect.
                Map<String, String> target = sp.local() ? localSettings : settings;
                if (sp.local() && !inTransaction) break;
                if (sp.value() == null) target.remove(sp.name());
                else target.put(sp.name(), sp.value());
            }
            default -> { }
        }
        if (inTransaction) {
            statementsInTransaction++;
            transactionChanges.add(change);
            for (TableLock l : locks) {
                heldLocks.merge(l.table(), l.mode(), LockMode::stronger);
            }
        }
    }

    private void endTransaction() {
        statementsInTransaction = 0;
        transactionChanges.clear();
        heldLocks.clear();
        notValidInTransaction.clear();
        localSettings.clear();
    }
}
