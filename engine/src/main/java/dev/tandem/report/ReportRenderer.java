package dev.tandem.report;

import dev.tandem.classify.ClassifiedSet;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Turns a {@link ClassifiedSet} into one output format. Renderers are pure: they read the model and
 * write characters, nothing else (no files, no JDBC, no environment). They write to a
 * {@link Writer} rather than building a string because a history of thousands of statements makes
 * a large report; the caller buffers and flushes, the renderer never closes the writer.
 */
public sealed interface ReportRenderer permits TextRenderer, JsonRenderer, MarkdownRenderer, SarifRenderer {

    void render(ClassifiedSet set, Writer out) throws IOException;

    /** For tests and small reports. */
    default String render(ClassifiedSet set) {
        StringWriter w = new StringWriter();
        try {
            render(set, w);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter never throws
        }
        return w.toString();
    }
}
