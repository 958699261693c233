package dev.tandem.classify.rules;

import dev.tandem.sql.Change;

/** Which CREATE TABLE statements the style rules look at: permanent tables that declare their own columns. */
final class StyleTargets {
    private StyleTargets() {}

    static boolean declaresColumns(Change.CreateTable ct) {
        return !ct.temporary() && ct.partitionOf() == null && ct.asQuery() == null;
    }
}
