package dev.tandem.state;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of the append-only {@code tandem.events} log.
 *
 * @param stepId {@code null} for events of the release (run started, lock waited)
 * @param type   see {@link EventType}
 * @param detail the event's facts (attempt, SQLSTATE, delay, …) as read back from JSON
 */
public record EventRecord(long id, long releaseId, Long stepId, Instant at, EventType type, Map<String, Object> detail) {
    public EventRecord {
        detail = Map.copyOf(detail);
    }
}
