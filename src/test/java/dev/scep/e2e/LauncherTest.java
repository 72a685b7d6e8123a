package dev.scep.e2e;

import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.HalfLifeFeature;
import dev.scep.formats.model.HalfLifeTransform;
import dev.scep.formats.model.OutputSpec;
import dev.scep.formats.model.ParameterInit;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.SequenceEncoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * bin/scep, the launcher users run: its start-up cache (JDK 25 AOT cache, recorded on a subcommand's first run) must
 * never change what a command prints on standard output, and later runs must use it.
 */
class LauncherTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent().getParent();   // the e2e module is src/test

    private static Processes.Result scep(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return Processes.run(Stream.concat(Stream.of(ROOT.resolve("bin/scep").toString()), Stream.of(args)).toList(), env,
                "bin/scep");
    }

    @Test
    void theStartUpCacheIsRecordedOnceUsedAfterAndNeverTouchesStandardOutput(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(ROOT.resolve("scep-cli/target/scep-cli.jar")), "skipped: scep-cli is not packaged yet");
        Architecture arch = Architecture.scepMultitask(2, 5);
        ScepModel m = new ScepModel(arch, SequenceEncoding.SCEP, List.of(new OutputSpec("a", 0, 1), new OutputSpec("b", 1, 2)),
                List.of("u5", "u3", "orf", "intron", "ejd").stream().map(n -> new HalfLifeFeature(n, HalfLifeTransform.LOG10_PLUS_0_1, 1, 1)).toList(),
                Map.of(), List.of(ParameterInit.pytorchDefault(arch, 3)));
        Path model = dir.resolve("m.scep");
        ScepModelFile.write(m, model);
        Path aot = ROOT.resolve("scep-cli/target/aot");
        if (Files.isDirectory(aot)) {
            try (var files = Files.list(aot)) {
                for (Path f : files.filter(f -> f.getFileName().toString().startsWith("info-")).toList()) {
                    Files.delete(f);
                }
            }
        }
        String expected = Cli.run("info", model).out();

        Processes.Result first = scep(Map.of(), "info", model.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo(expected);
        try (var files = Files.list(aot)) {
            assertThat(files.map(f -> f.getFileName().toString())).anyMatch(n -> n.startsWith("info-") && n.endsWith(".aot"))
                    .noneMatch(n -> n.endsWith(".conf"));
        }

        Processes.Result second = scep(Map.of(), "info", model.toString());
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.out()).isEqualTo(expected);
        assertThat(second.err()).doesNotContain("AOTConfiguration").doesNotContain("[aot]").doesNotContain("[cds]");

        Processes.Result off = scep(Map.of("SCEP_AOT", "0"), "info", model.toString());
        assertThat(off.out()).isEqualTo(expected);

        Processes.Result failing = scep(Map.of(), "info", dir.resolve("absent.scep").toString());
        assertThat(failing.exit()).isEqualTo(1);
        assertThat(failing.out()).isEmpty();
        assertThat(failing.err()).contains("scep: error:");
    }
}
