package dev.tandem.cli;

import com.sun.net.httpserver.HttpServer;
import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * {@code --metrics-port}: the run's meters in Prometheus' text format on {@code /metrics}, for as
 * long as the run lasts (a Kubernetes Job's pod is scraped like any other). The JDK's own HTTP
 * server: one endpoint needs no framework.
 */
final class MetricsServer implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpServer server;

    private MetricsServer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
    }

    /** Listening on {@code port} (0: any free one); a port in use is bad input (exit 2). */
    static MetricsServer start(int port) {
        if (port < 0 || port > 65_535) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT, "--metrics-port " + port + " is not a port (0 to 65535)");
        }
        try {
            return new MetricsServer(port);
        } catch (IOException e) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT, "--metrics-port " + port + ": cannot listen there (" + e.getMessage()
                    + "); choose a free port, or 0 for any");
        }
    }

    MeterRegistry registry() {
        return registry;
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        registry.close();
    }
}
