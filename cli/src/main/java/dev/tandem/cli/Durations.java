package dev.tandem.cli;

import dev.tandem.exec.DurationText;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@link DurationText} as picocli's converter: {@code 500ms}, {@code 2s}, {@code 10m}, {@code PT2S}. */
final class Durations implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    static Duration parse(String value) {
        try {
            return DurationText.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    static String format(Duration d) {
        return DurationText.format(d);
    }
}
