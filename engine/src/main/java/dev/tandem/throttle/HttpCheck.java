package dev.tandem.throttle;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;

/**
 * The operator's own health endpoint: the backfill goes on only while a GET of {@code url}
 * answers 2xx within {@code timeout}. Any other status pauses it (the first line of the body is
 * shown, e.g. "replica lag 12 s"); no answer, a refused connection or a timeout pause it too
 * (fail closed). Redirects are not followed: a 3xx is not a 2xx.
 */
public final class HttpCheck implements Signal {
    public static final String ID = "http-check";
    private static final int SHOWN_BODY = 200;

    private final URI url;
    private final Duration timeout;
    private final Duration interval;
    private final HttpClient client;

    public HttpCheck(URI url, Duration timeout, Duration interval) {
        this.url = url;
        this.timeout = timeout;
        this.interval = interval;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public boolean readsDatabase() {
        return false;
    }

    @Override
    public Reading read(Connection c, Instant now) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().header("User-Agent", "tandem throttle").build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new IOException("no answer from " + url + " within " + Units.duration(timeout), e);
        } catch (IOException e) {
            throw new IOException("cannot reach " + url + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()), e);
        }
        int status = response.statusCode();
        boolean ok = status >= 200 && status < 300;
        String body = firstLine(response.body());
        return new Reading(ok ? 0 : 1, 0, !ok, url + " answered " + status + (body.isEmpty() ? "" : ": " + body));
    }

    private static String firstLine(String body) {
        if (body == null) return "";
        String line = body.strip().lines().findFirst().orElse("");
        return line.length() > SHOWN_BODY ? line.substring(0, SHOWN_BODY) + "…" : line;
    }

    @Override
    public void close() {
        client.close();
    }
}
