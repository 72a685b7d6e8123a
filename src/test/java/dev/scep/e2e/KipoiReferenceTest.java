package dev.scep.e2e;

import dev.scep.formats.text.FastaReader;
import dev.scep.formats.text.Sequences;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The issue's first acceptance check, through the command line: import the published Xpresso human model, cut the
 * windows of Kipoi's reference from region.fa, predict them, and match Kipoi's TensorFlow outputs within 1e-4.
 */
class KipoiReferenceTest {
    @TempDir
    Path dir;

    @Test
    void importedXpressoReproducesKipoiOnEveryBackend() throws Exception {
        Path data = SharedData.dir();
        Path model = dir.resolve("x.scep");
        Cli imp = Cli.run("import-keras", data.resolve("xpresso-pretrained/xpresso_human.h5"), "--out", model);
        assertThat(imp.exitCode()).as(imp.err()).isZero();
        assertThat(imp.err()).contains("9d00a3bc614da81655328b6e278569e2"); // the published file's md5

        byte[] region;
        try (FastaReader r = new FastaReader(data.resolve("hg38-chr16-alpha-globin/region.fa"))) {
            region = r.next().sequence();
        }
        StringBuilder fa = new StringBuilder();
        StringBuilder hl = new StringBuilder("id\thalflife_1\thalflife_2\thalflife_3\thalflife_4\thalflife_5\thalflife_6\n");
        Map<String, Double> expected = new HashMap<>();
        for (String line : Tables.lines(data.resolve("kipoi-xpresso-reference/reference.tsv"))) {
            if (line.startsWith("#") || line.startsWith("id\t")) {
                continue;
            }
            String[] f = line.split("\t");
            byte[] w = Arrays.copyOfRange(region, Integer.parseInt(f[1]), Integer.parseInt(f[2]));
            if (f[3].equals("-")) {
                w = Sequences.reverseComplement(w);
            }
            fa.append('>').append(f[0]).append('\n');
            // wrapped at 60 columns, as FASTA files usually are
            String s = new String(w, StandardCharsets.US_ASCII);
            for (int i = 0; i < s.length(); i += 60) {
                fa.append(s, i, Math.min(s.length(), i + 60)).append('\n');
            }
            hl.append(f[0]).append("\t0\t0\t0\t0\t0\t0\n");
            expected.put(f[0], Double.parseDouble(f[4]));
        }
        assertThat(expected).hasSize(2);
        Path windows = Files.writeString(dir.resolve("w.fa"), fa);
        Path halfLife = Files.writeString(dir.resolve("h.tsv"), hl);

        for (String backend : List.of("auto", "scalar", "reference")) {
            Path out = dir.resolve("p-" + backend + ".tsv");
            Cli p = Cli.run("predict", "--model", model, "--windows", windows, "--halflife", halfLife, "--out", out,
                    "--backend", backend);
            assertThat(p.exitCode()).as(p.err()).isZero();
            List<String> lines = Tables.lines(out);
            assertThat(lines.getFirst()).isEqualTo("id\texpression");
            assertThat(lines).hasSize(3);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split("\t");
                assertThat(Double.parseDouble(f[1])).as("%s on %s", f[0], backend).isCloseTo(expected.get(f[0]), within(1e-4));
            }
        }
    }

    @Test
    void demoPassesOnTheSharedData() {
        Path data = SharedData.dir();
        Cli demo = Cli.run("demo", "--data", data, "--out", dir);
        assertThat(demo.exitCode()).as(demo.out() + demo.err()).isZero();
        assertThat(demo.out()).contains("PASS").contains("kipoi_181").contains("kipoi_11873");
    }
}
