package dev.tandem.plan;

/**
 * A statement the plan does not carry out, and why. Nothing of it is in the phases: it is never
 * run as written by accident, nor dropped silently. A release with such entries is not executable
 * ({@link ReleasePlan#executable()}).
 *
 * @param migration the migration's version (or script, for a repeatable one)
 * @param line      the statement's line in the script
 * @param sql       the statement as written
 * @param reason    the kind of reason
 * @param message   what is in the way, in the user's terms
 * @param instead   what to do instead
 */
public record Unplanned(String migration, int line, String sql, Reason reason, String message, String instead) {

    public enum Reason {
        /** Classified {@code blocking}: no online form exists; refused. */
        BLOCKING("blocking"),
        /** Classified {@code review}: not understood statically. */
        REVIEW("review"),
        /** Needs an online recipe that Tandem does not have yet. */
        RECIPE_NOT_YET_AVAILABLE("recipe-not-yet-available"),
        /** The recipe exists but needs a fact the plan does not have (a key, a partition key, …). */
        PRECONDITION("precondition"),
        /**
         * It would run in an earlier phase than an earlier statement's work on the same table or
         * index, which would change the order the migrations were written in.
         */
        ORDER("order");

        private final String id;

        Reason(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        @Override
        public String toString() {
            return id;
        }
    }
}
