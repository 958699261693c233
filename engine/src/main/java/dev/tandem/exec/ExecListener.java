package dev.tandem.exec;

import dev.tandem.state.Checkpoint;
import dev.tandem.state.EventType;
import dev.tandem.state.StepRecord;
import java.util.Map;

/**
 * Told of each step event right after it is recorded in {@code tandem.events}: what a log of the
 * run shows while it goes (a Kubernetes Job's log is read while the Job runs). Called on the
 * runner's thread; it must not throw.
 */
@FunctionalInterface
public interface ExecListener {
    ExecListener NONE = (type, step, detail) -> {};

    /**
     * @param step   the step as recorded when the run reached it (its status may be older than the event)
     * @param detail the event's detail, as stored
     */
    void on(EventType type, StepRecord step, Map<String, ?> detail);

    /**
     * A backfill committed a batch; {@code progress} is its checkpoint as committed. Not stored as
     * an event (there is one per batch): for progress bars and log lines.
     */
    default void progress(StepRecord step, Checkpoint progress) {}
}
