package dev.scep.spark;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scep-spark runs on the class path (Spark is not modular), where JPMS cannot keep it to the library's API: this
 * test does. Every scep package its main code names must be one the library's modules export to everyone.
 */
class ApiOnlyTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @Test
    void usesOnlyExportedPackages() throws IOException {
        Set<String> exported = new TreeSet<>();
        Pattern export = Pattern.compile("^\\s*exports\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
        for (String module : new String[]{"formats", "native-bindings", "scep-runtime", "scep-train"}) {
            Matcher m = export.matcher(Files.readString(ROOT.resolve(module).resolve("src/main/java/module-info.java")));
            while (m.find()) {
                exported.add(m.group(1));
            }
        }
        assertThat(exported).contains("dev.scep.runtime.variants", "dev.scep.formats.vcf");
        Set<String> used = new TreeSet<>();
        Pattern reference = Pattern.compile("\\b(dev\\.scep(?:\\.[a-z]\\w*)+)\\.[A-Z]");
        try (Stream<Path> files = Files.walk(ROOT.resolve("scep-spark/src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = reference.matcher(Files.readString(f));
                while (m.find()) {
                    if (!m.group(1).startsWith("dev.scep.spark")) {
                        used.add(m.group(1));
                    }
                }
            }
        }
        assertThat(used).isNotEmpty();
        assertThat(exported).as("packages scep-spark uses that the library does not export").containsAll(used);
    }
}
