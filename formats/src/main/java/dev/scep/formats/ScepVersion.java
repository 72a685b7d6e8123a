package dev.scep.formats;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The scep library version, recorded in the files scep writes. Thread-safe: it is read once, when the class loads. */
public final class ScepVersion {
    private static final String VERSION = load();

    private ScepVersion() {
    }

    /**
     * The version this jar was built as.
     *
     * @return the Maven project version (e.g. {@code 0.1.0-SNAPSHOT}), or {@code "unknown"} when the build did not
     *         record it
     */
    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = ScepVersion.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
