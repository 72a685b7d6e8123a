package dev.scep.formats.io;

import dev.scep.formats.annotation.Strand;
import dev.scep.formats.genome.WindowGeometry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScepDatasetTest {
    @TempDir
    Path dir;

    private static final WindowGeometry GEOMETRY = new WindowGeometry(61, 42); // 103 nt: not a multiple of 4

    private static List<ScepDataset.Gene> genes(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> new ScepDataset.Gene("G" + i, i % 2 == 0 ? "SYM" + i : "",
                "T" + i, "chr" + (1 + i % 3), 1000L * i + 1, i % 2 == 0 ? Strand.PLUS : Strand.MINUS)).toList();
    }

    private static byte[] randomWindow(Random rnd, int length) {
        byte[] w = new byte[length];
        String bases = "ACGT";
        for (int i = 0; i < length; i++) {
            w[i] = (byte) bases.charAt(rnd.nextInt(4));
        }
        if (rnd.nextBoolean()) {
            int start = rnd.nextInt(length - 10);
            java.util.Arrays.fill(w, start, start + 1 + rnd.nextInt(9), (byte) 'N');
        }
        w[rnd.nextInt(length)] = (byte) "RYKMSWBDHV".charAt(rnd.nextInt(10));
        return w;
    }

    private record Written(Path file, byte[][] windows, String fingerprint) {
    }

    private Written write(String name, int n, long seed) throws IOException {
        Random rnd = new Random(seed);
        List<ScepDataset.Gene> genes = genes(n);
        Path f = dir.resolve(name);
        byte[][] windows = new byte[n][];
        try (ScepDatasetWriter w = new ScepDatasetWriter(f, GEOMETRY, genes)) {
            double[] half = new double[n * 2];
            for (int i = 0; i < half.length; i++) {
                half[i] = i * 1.5;
            }
            w.halfLife(List.of("a", "b"), half);
            float[] targets = new float[n * 3];
            for (int i = 0; i < targets.length; i++) {
                targets[i] = i % 5 == 0 ? -4f : (float) (i * 0.01);
            }
            w.targets(List.of(new ScepDataset.Population("Hours=0", "Hours", 69, 20492, false),
                    new ScepDataset.Population("Hours=24", "Hours", 74, 20822, false),
                    new ScepDataset.Population("tissue=m/class=c", "tissue>class", 5, 3, false)), targets);
            for (int i = n - 1; i >= 0; i--) { // out of order, as windows arrive from a genome
                windows[i] = randomWindow(rnd, GEOMETRY.length());
                w.window(i, windows[i]);
            }
            return new Written(f, windows, w.finish(Map.of("source", "test")));
        }
    }

    @Test
    void everythingWrittenIsReadBack() throws IOException {
        Written written = write("d.sced", 37, 1);
        ScepDataset d = ScepDataset.open(written.file());
        assertThat(d.geneCount()).isEqualTo(37);
        assertThat(d.genes()).isEqualTo(genes(37));
        assertThat(d.geometry()).isEqualTo(GEOMETRY);
        for (int i = 0; i < 37; i++) {
            assertThat(new String(d.window(i), StandardCharsets.US_ASCII)).as("gene %d", i)
                    .isEqualTo(new String(written.windows()[i], StandardCharsets.US_ASCII));
            assertThat(d.rawHalfLife(i, 1)).isEqualTo((i * 2 + 1) * 1.5);
            assertThat(d.target(i, 2)).isEqualTo((i * 3 + 2) % 5 == 0 ? -4f : (float) ((i * 3 + 2) * 0.01));
        }
        assertThat(d.halfLifeNames()).containsExactly("a", "b");
        assertThat(d.populations()).extracting(ScepDataset.Population::name).containsExactly("Hours=0", "Hours=24", "tissue=m/class=c");
        assertThat(d.populations().getFirst().genesNonZero()).isEqualTo(20492);
        assertThat(d.metadata()).containsEntry("source", "test");
        assertThat(d.fingerprint()).isEqualTo(written.fingerprint()).hasSize(32);
        assertThat(d.packedStride()).isEqualTo(26);
        assertThat(Files.size(written.file())).isLessThan(37 * 26 + 4096L);
    }

    @Test
    void theFingerprintDependsOnContentOnly() throws IOException {
        assertThat(write("a.sced", 10, 7).fingerprint()).isEqualTo(write("b.sced", 10, 7).fingerprint());
        assertThat(write("c.sced", 10, 8).fingerprint()).isNotEqualTo(write("a.sced", 10, 7).fingerprint());
    }

    @Test
    void corruptionAndTruncationAreReportedNamingTheFile() throws IOException {
        Path f = write("d.sced", 12, 3).file();
        byte[] bytes = Files.readAllBytes(f);
        Path bad = dir.resolve("bad.sced");
        for (int cut = 0; cut < bytes.length; cut += 53) {
            Files.write(bad, java.util.Arrays.copyOf(bytes, cut));
            assertThatThrownBy(() -> ScepDataset.open(bad)).as("cut at %d", cut)
                    .isInstanceOf(DatasetFormatException.class).hasMessageStartingWith(bad.toString());
        }
        for (int at = 0; at < bytes.length; at += 41) {
            byte[] copy = bytes.clone();
            copy[at] ^= 0x20;
            Files.write(bad, copy);
            assertThatThrownBy(() -> ScepDataset.open(bad)).as("flipped byte %d", at).isInstanceOf(DatasetFormatException.class);
        }
        Files.write(bad, "not a dataset".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> ScepDataset.open(bad)).hasMessageContaining("not a scep dataset file");
    }

    @Test
    void aFailedWriteLeavesTheExistingFileAndNoTemporaries() throws IOException {
        Path f = write("d.sced", 5, 4).file();
        byte[] before = Files.readAllBytes(f);
        try (ScepDatasetWriter w = new ScepDatasetWriter(f, GEOMETRY, genes(3))) {
            byte[] window = randomWindow(new Random(1), GEOMETRY.length());
            window[17] = '*';
            assertThatThrownBy(() -> w.window(0, window)).hasMessageContaining("position 17").hasMessageContaining("'*'");
            assertThatThrownBy(() -> w.finish(Map.of())).hasMessageContaining("never written");
        }
        assertThat(Files.readAllBytes(f)).isEqualTo(before);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("d.sced");
        }
    }

    @Test
    void genesWhoseWindowNeverCameAreDroppedWithTheirFeaturesAndTargets() throws IOException {
        Path f = dir.resolve("d.sced");
        List<ScepDataset.Gene> genes = genes(4);
        try (ScepDatasetWriter w = new ScepDatasetWriter(f, GEOMETRY, genes)) {
            w.halfLife(List.of("a"), new double[]{0, 1, 2, 3});
            w.targets(List.of(new ScepDataset.Population("p", "c", 1, 1, true)), new float[]{10, 11, 12, 13});
            byte[] w1 = randomWindow(new Random(2), GEOMETRY.length());
            byte[] w3 = randomWindow(new Random(3), GEOMETRY.length());
            w.window(3, w3);
            w.window(1, w1);
            assertThat(w.dropUnwritten()).containsExactly(1, 3);
            w.finish(Map.of());
            ScepDataset d = ScepDataset.open(f);
            assertThat(d.genes()).containsExactly(genes.get(1), genes.get(3));
            assertThat(d.window(0)).isEqualTo(w1);
            assertThat(d.window(1)).isEqualTo(w3);
            assertThat(d.rawHalfLife(1, 0)).isEqualTo(3);
            assertThat(d.target(0, 0)).isEqualTo(11);
            assertThat(d.populations().getFirst().unexpressedValue()).isEqualTo(-3f);
        }
    }
}
