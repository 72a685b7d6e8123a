package dev.scep.e2e;

import dev.scep.formats.annotation.GeneSelection;
import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.keras.KerasImporter;
import dev.scep.formats.model.ScepModel;
import dev.scep.runtime.HalfLifeInput;
import dev.scep.runtime.Ism;
import dev.scep.runtime.Predictor;
import dev.scep.runtime.variants.GenePanel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The README's embedding example, as an application would use the library: compiled as its own module against the
 * library's modules on the module path (so only exported packages are visible), then run in a fresh JVM on the module
 * path, with and without the Vector API module. A class that imports an internal package must fail to compile.
 */
class EmbeddingExampleTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent().getParent();   // the e2e module is src/test
    private static final String GENE = "NM_001176";   // + strand in the alpha-globin region

    @TempDir
    static Path dir;

    private static String modulePath;
    private static Path classes;
    private static Path model;

    @BeforeAll
    static void compileTheReadmeExample() throws Exception {
        modulePath = libraryModulePath();
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("example"));
        Files.writeString(src.resolve("module-info.java"), "module example { requires dev.scep.runtime; }\n");
        Files.writeString(src.resolve("example/Embed.java"), readmeExample());
        classes = dir.resolve("classes");
        List<String> errors = compile(src, classes);
        assertThat(errors).as("the README example compiles on the module path").isEmpty();
        model = dir.resolve("xpresso.scep");
        ScepModelFile.write(KerasImporter.importModel(SharedData.dir().resolve("xpresso-pretrained/xpresso_human.h5"),
                KerasImporter.Options.xpressoDefaults()), model);
    }

    @Test
    void theExampleIsShortAndRunsOnTheModulePathWithAndWithoutTheVectorApi() throws Exception {
        long lines = readmeExample().lines().count();
        assertThat(lines).as("the README example's length").isLessThan(30);

        // what the example must print, computed here through the same front door on the class path
        Path region = SharedData.dir().resolve("hg38-chr16-alpha-globin");
        ScepModel m = ScepModelFile.read(model);
        GenePanel panel = GenePanel.load(region.resolve("region.fa"), region.resolve("refseq.gtf"), m.windowGeometry(),
                GeneSelection.Options.DEFAULTS);
        byte[] window = panel.window(panel.gene(GENE).orElseThrow());
        HalfLifeInput zeros = HalfLifeInput.zeros(m.halfLifeFeatures().size());
        float[] expected;
        int substitutions;
        try (Predictor p = Predictor.of(m); Ism ism = Ism.open(m, Predictor.Options.defaults())) {
            expected = p.predict(window, zeros);
            substitutions = ism.run(window, zeros).substitutions();
        }

        for (boolean vector : new boolean[]{true, false}) {
            List<String> cmd = new ArrayList<>(List.of(java(), "--module-path", classes + File.pathSeparator + modulePath,
                    "--enable-native-access=dev.scep.runtime,dev.scep.nativebindings"));
            if (vector) {
                cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
            }
            cmd.addAll(List.of("-m", "example/example.Embed", model.toString(), region.resolve("region.fa").toString(),
                    region.resolve("refseq.gtf").toString(), GENE));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();

            Matcher prediction = Pattern.compile("prediction \\[([^]]+)]").matcher(out);
            assertThat(prediction.find()).as(out).isTrue();
            float[] printed = parseFloats(prediction.group(1));
            assertThat(printed).hasSize(expected.length);
            for (int o = 0; o < expected.length; o++) {
                assertThat(printed[o]).as("output %d, vector module %s", o, vector).isCloseTo(expected[o], within(1e-5f));
            }
            assertThat(out).as("vector module %s", vector).contains("ism " + substitutions + " substitutions")
                    .contains("snv Scored[effects=[").contains(GENE + " (chr16:93643+) at window position 6900 SNV [");
            if (!vector) {
                assertThat(out).contains("jdk.incubator.vector is not available");
            }
        }
    }

    @Test
    void kerasModelsImportOnTheModulePath() throws Exception {
        // jhdf is an automatic module that declares no dependencies: formats requires them for it (a review found
        // NoClassDefFoundError for commons-lang3 here)
        Path src = dir.resolve("import-src");
        Files.createDirectories(src.resolve("importer"));
        Files.writeString(src.resolve("module-info.java"), "module importer { requires dev.scep.formats; }\n");
        Files.writeString(src.resolve("importer/Import.java"), """
                package importer;

                import dev.scep.formats.io.ScepModelFile;
                import dev.scep.formats.keras.KerasImporter;
                import java.nio.file.Path;

                public class Import {
                    public static void main(String[] args) throws Exception {
                        ScepModelFile.write(KerasImporter.importModel(Path.of(args[0]), KerasImporter.Options.xpressoDefaults()),
                                Path.of(args[1]));
                    }
                }
                """);
        Path out = dir.resolve("import-classes");
        assertThat(compile(src, out)).isEmpty();
        Path imported = dir.resolve("imported.scep");
        Process p = new ProcessBuilder(java(), "--module-path", out + File.pathSeparator + modulePath, "-m",
                "importer/importer.Import", SharedData.dir().resolve("xpresso-pretrained/xpresso_human.h5").toString(),
                imported.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(Files.readAllBytes(imported)).isEqualTo(Files.readAllBytes(model));
    }

    @Test
    void anApplicationCannotCompileAgainstAnInternalPackage() throws Exception {
        Path src = dir.resolve("internal-src");
        Files.createDirectories(src.resolve("app"));
        Files.writeString(src.resolve("module-info.java"), "module app { requires dev.scep.runtime; }\n");
        Files.writeString(src.resolve("app/Internal.java"), """
                package app;

                public class Internal {
                    public static String kernels() {
                        return dev.scep.runtime.cpu.Kernels.best().name();
                    }
                }
                """);
        List<String> errors = compile(src, dir.resolve("internal-classes"));
        assertThat(errors).as("compiling against dev.scep.runtime.cpu").isNotEmpty();
        assertThat(String.join("\n", errors)).contains("dev.scep.runtime.cpu").contains("does not export");
    }

    /** The Java code between the README's embedding-example markers. */
    private static String readmeExample() throws Exception {
        String readme = Tables.text(ROOT.resolve("README.md"));
        int from = readme.indexOf("<!-- embedding-example:start -->");
        int to = readme.indexOf("<!-- embedding-example:end -->");
        assertThat(from).as("README's embedding-example markers").isPositive();
        assertThat(to).isGreaterThan(from);
        return readme.substring(from, to).lines().filter(l -> !l.startsWith("<!--") && !l.startsWith("```"))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /**
     * The library's modules and what they need at run time, from this test's class path: everything but the test
     * frameworks, the test classes and the modules the example does not use (train, cli).
     */
    private static String libraryModulePath() {
        List<String> keep = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String e = entry.replace('\\', '/');
            boolean test = e.matches(".*/(junit|opentest4j|apiguardian|assertj|byte-buddy|jazzer|picocli)[^/]*/.*")
                    || e.contains("test-classes") || e.endsWith("-tests.jar") || e.contains("/src/test/")
                    || e.contains("scep-train") || e.contains("scep-cli") || e.contains("/scep-train/") || e.contains("/scep-cli/");
            if (!test) {
                keep.add(entry);
            }
        }
        assertThat(keep).anyMatch(e -> e.contains("scep-runtime")).anyMatch(e -> e.contains("formats"));
        return String.join(File.pathSeparator, keep);
    }

    private static List<String> compile(Path src, Path out) throws Exception {
        Files.createDirectories(out);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8);
             var walk = Files.walk(src)) {
            List<File> sources = walk.filter(f -> f.toString().endsWith(".java")).map(Path::toFile).toList();
            boolean ok = javac.getTask(null, files, diagnostics, List.of("--module-path", modulePath, "--class-path", out.toString(), "-d", out.toString(),
                    "-proc:none"), null, files.getJavaFileObjectsFromFiles(sources)).call();
            List<String> errors = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR).map(Object::toString).toList();
            assertThat(ok).isEqualTo(errors.isEmpty());
            return errors;
        }
    }

    private static float[] parseFloats(String list) {
        String[] parts = list.split(",\\s*");
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = Float.parseFloat(parts[i]);
        }
        return v;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
