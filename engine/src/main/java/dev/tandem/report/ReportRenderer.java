package dev.tandem.report;

import dev.tandem.classify.ClassifiedSet;
import dev.tandem.plan.ReleasePlan;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Turns a {@link ClassifiedSet} and the {@link ReleasePlan} made from it into one output format.
 * Renderers are pure: they read the model and write characters, nothing else (no files, no JDBC,
 * no environment). They write to a {@link Writer} rather than building a string because a history
 * of thousands of statements makes a large report; the caller buffers and flushes, the renderer
 * never closes the writer.
 */
public sealed interface ReportRenderer permits TextRenderer, JsonRenderer, MarkdownRenderer, SarifRenderer {

    /**
     * @param plan the release plan of {@code set}, or {@code null} for the classification alone
     *             (no release-plan section; the JSON {@code phases} is then an empty array)
     */
    void render(ClassifiedSet set, ReleasePlan plan, Writer out) throws IOException;

    /** The classification alone, without a release plan. */
    default void render(ClassifiedSet set, Writer out) throws IOException {
        render(set, null, out);
    }

    /** For tests and small reports. */
    default String render(ClassifiedSet set, ReleasePlan plan) {
        StringWriter w = new StringWriter();
        try {
            render(set, plan, w);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter never throws
        }
        return w.toString();
    }

    /** For tests and small reports: the classification alone. */
    default String render(ClassifiedSet set) {
        return render(set, (ReleasePlan) null);
    }
}
