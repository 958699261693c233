package dev.tandem.cli;

import dev.tandem.throttle.ThrottleFactory;

/** The throttle every command line run uses unless told otherwise: the health checks with their default limits. */
final class Throttles {
    private Throttles() {}

    static ThrottleFactory defaults() {
        return ThrottleFactory.NONE;
    }
}
