package dev.tandem.exec;

import java.time.Duration;

/** Waits between retries; injected so that tests run instantly and can act during the wait. */
@FunctionalInterface
public interface Sleeper {
    Sleeper SYSTEM = d -> Thread.sleep(d);

    void sleep(Duration duration) throws InterruptedException;
}
