package dev.tandem.cli;

import dev.tandem.throttle.HealthThrottle;
import dev.tandem.throttle.ThrottleFactory;
import dev.tandem.throttle.ThrottleSettings;

/**
 * The throttle every command line run uses unless told otherwise ({@code --no-throttle}): the
 * health checks with their default limits, which {@code --throttle NAME=VALUE} and
 * {@code migrate backfill set} change by name.
 */
final class Throttles {
    private Throttles() {}

    static ThrottleFactory defaults() {
        return HealthThrottle.factory(ThrottleSettings.DEFAULTS);
    }
}
