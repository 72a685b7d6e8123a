package dev.scep.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Issue 14's first done-means line: the original scEP pipeline's own files (scep-pytorch-example: five replicates of
 * fold 3, written by PyTorch) imported with {@code import-pytorch}, then {@code scep predict} on the example's windows
 * and half-life inputs, reproduce the original's ensemble predictions (expected.tsv) within 1e-4 for every window and
 * output.
 */
class ImportPytorchCliTest {
    @TempDir
    Path dir;

    static Path example() {
        return SharedData.dir().resolve("scep-pytorch-example");
    }

    static Cli importFold3(Path out, Object... extra) {
        Path ex = example();
        List<Object> args = new java.util.ArrayList<>(List.of("import-pytorch", "--run-dir", ex.resolve("run"), "--fold", 3,
                "--dataset", ex.resolve("seq_hl.h5"), "--labels", ex.resolve("labels.csv"), "--columns", "1,2,3,4,5",
                "--out", out));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray());
    }

    @Test
    void reproducesTheOriginalsEnsemblePredictions() throws Exception {
        Path ex = example();
        Path model = dir.resolve("fold3.scep");
        Cli imp = importFold3(model);
        assertThat(imp.exitCode()).as(imp.err()).isZero();
        assertThat(imp.err()).contains("5 replicate(s)");

        Cli info = Cli.run("info", model);
        assertThat(info.exitCode()).as(info.err()).isZero();
        assertThat(info.out()).contains("fed to the network as given");

        for (String backend : List.of("auto", "reference")) {
            Path out = dir.resolve("p-" + backend + ".tsv");
            Cli p = Cli.run("predict", "--model", model, "--windows", ex.resolve("windows.fa"),
                    "--halflife", ex.resolve("halflife.tsv"), "--out", out, "--backend", backend);
            assertThat(p.exitCode()).as(p.err()).isZero();
            List<String> expected = Files.readAllLines(ex.resolve("expected.tsv"));
            String[] names = expected.getFirst().split("\t");   // id, fold, outputs...
            Map<String, String[]> want = new HashMap<>();
            for (String line : expected.subList(1, expected.size())) {
                String[] f = line.split("\t");
                want.put(f[0], f);
            }
            List<String> lines = Files.readAllLines(out);
            String[] header = lines.getFirst().split("\t");
            assertThat(header[0]).isEqualTo("id");
            assertThat(List.of(header).subList(1, header.length)).containsExactly(List.of(names).subList(2, names.length).toArray(String[]::new));
            assertThat(lines).hasSize(17);
            double worst = 0;
            int compared = 0;
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split("\t");
                String[] w = want.get(f[0]);
                assertThat(w).as("window %s in expected.tsv", f[0]).isNotNull();
                for (int o = 1; o < header.length; o++) {
                    double got = Double.parseDouble(f[o]);
                    double exp = Double.parseDouble(w[o + 1]);
                    assertThat(got).as("%s %s on %s", f[0], header[o], backend).isCloseTo(exp, within(1e-4));
                    worst = Math.max(worst, Math.abs(got - exp));
                    compared++;
                }
            }
            assertThat(compared).isEqualTo(16 * 5);
            System.out.printf("import-pytorch fold 3 (%s backend): %d values, largest |scep - original| = %.3g%n", backend, compared, worst);
        }
    }
}
