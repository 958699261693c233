package dev.tandem.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * (b) A throw-away PostgreSQL 15 container. Kept in its own class so that Testcontainers is only
 * loaded when a Docker engine is actually probed or used.
 */
final class ContainerServer implements PostgresHarness.Server {
    /** The major version Tandem targets first (DESIGN.md: postgresVersion "15"). */
    static final String IMAGE = "postgres:15-alpine";

    private final PostgreSQLContainer container;

    private ContainerServer(PostgreSQLContainer container) {
        this.container = container;
    }

    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    static ContainerServer start() {
        PostgreSQLContainer container = new PostgreSQLContainer(IMAGE);
        try {
            container.start();
        } catch (RuntimeException e) {
            container.close();
            throw new IllegalStateException("cannot start a PostgreSQL container (" + IMAGE + "): "
                    + e.getMessage(), e);
        }
        return new ContainerServer(container);
    }

    @Override
    public String adminJdbcUrl() {
        return container.getJdbcUrl();
    }

    @Override
    public String user() {
        return container.getUsername();
    }

    @Override
    public String password() {
        return container.getPassword();
    }

    @Override
    public String description() {
        return "Testcontainers (" + IMAGE + ", " + container.getJdbcUrl() + ")";
    }

    @Override
    public void stop() {
        container.stop();
    }
}
