package dev.tandem.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code migrate --version}: Tandem's version (filtered in at build time) and the Java running it. */
public final class Version implements IVersionProvider {

    /** Tandem's version, or {@code "dev"} when running from unfiltered classes. */
    public static String tandem() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) return "dev";
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "dev");
            return v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            return "dev";
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "migrate (Tandem) " + tandem(),
            "Java ${java.version} (${java.vendor}), ${os.name} ${os.arch}"
        };
    }
}
