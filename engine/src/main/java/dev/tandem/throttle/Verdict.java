package dev.tandem.throttle;

import java.util.List;
import java.util.Objects;

/** A {@link Throttle}'s answer: go on, or pause for these reasons. */
public sealed interface Verdict {
    Go GO = new Go();

    record Go() implements Verdict {}

    /** At least one reason; the backfill reports them (event, status, metrics) while it waits. */
    record Pause(List<Reason> reasons) implements Verdict {
        public Pause {
            reasons = List.copyOf(reasons);
            if (reasons.isEmpty()) throw new IllegalArgumentException("a pause needs a reason");
        }

        /** "replication-lag: standby s1 replay 7.2 s > 2 s; …", for log lines and status. */
        public String summary() {
            return String.join("; ", reasons.stream().map(Reason::toString).toList());
        }
    }

    /**
     * Why a backfill waits.
     *
     * @param signal stable id of the signal ({@code replication-lag}, {@code blocked-sessions},
     *               {@code user-check}, …): a metric tag and a JSON value
     * @param detail what was read and the limit it is over, for a person
     */
    record Reason(String signal, String detail) {
        public Reason {
            Objects.requireNonNull(signal, "signal");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String toString() {
            return signal + ": " + detail;
        }
    }
}
