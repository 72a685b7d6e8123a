package dev.scep.train.cpu;

import dev.scep.formats.annotation.Strand;
import dev.scep.formats.genome.WindowGeometry;
import dev.scep.formats.io.ScepDataset;
import dev.scep.formats.io.ScepDatasetWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small datasets with a learnable answer: each gene's target in population p grows with the number of copies of a
 * motif near the TSS (weighted differently per population) and with its first half-life feature.
 */
public final class SyntheticDatasets {
    private SyntheticDatasets() {
    }

    public static ScepDataset write(Path file, int genes, int populations, long seed) throws IOException {
        return write(file, genes, populations, seed, (targets, halfLife) -> { });
    }

    /** As above, with {@code edit} applied to the targets [gene × population] and half-life values [gene × 5] before writing. */
    public static ScepDataset write(Path file, int genes, int populations, long seed,
                             java.util.function.BiConsumer<float[], double[]> edit) throws IOException {
        Random rnd = new Random(seed);
        WindowGeometry g = WindowGeometry.SCEP;
        List<ScepDataset.Gene> list = new ArrayList<>();
        for (int i = 0; i < genes; i++) {
            list.add(new ScepDataset.Gene("G" + i, "", "T" + i, "chr1", 10_000L + i * 20_000L, Strand.PLUS));
        }
        byte[] motif = "TATAAAAG".getBytes();
        try (ScepDatasetWriter w = new ScepDatasetWriter(file, g, list)) {
            double[] half = new double[genes * 5];
            float[] targets = new float[genes * populations];
            for (int i = 0; i < genes; i++) {
                byte[] window = new byte[g.length()];
                for (int k = 0; k < window.length; k++) {
                    window[k] = (byte) "ACGT".charAt(rnd.nextInt(4));
                }
                int copies = rnd.nextInt(4);
                for (int c = 0; c < copies; c++) {
                    System.arraycopy(motif, 0, window, 6500 + rnd.nextInt(900), motif.length);
                }
                if (rnd.nextInt(10) == 0) {
                    java.util.Arrays.fill(window, 0, 500, (byte) 'N');
                }
                w.window(i, window);
                for (int f = 0; f < 5; f++) {
                    half[i * 5 + f] = 50 + rnd.nextInt(5000);
                }
                for (int p = 0; p < populations; p++) {
                    targets[i * populations + p] = (float) (copies * (0.5 + p * 0.3) + 0.3 * Math.log10(half[i * 5] + 0.1)
                            + 0.1 * rnd.nextGaussian());
                }
            }
            edit.accept(targets, half);
            w.halfLife(List.of("utr5_length", "utr3_length", "orf_length", "intron_length", "exon_junction_density"), half);
            List<ScepDataset.Population> pops = new ArrayList<>();
            for (int p = 0; p < populations; p++) {
                pops.add(new ScepDataset.Population("pop" + p, "type", 100, genes, false));
            }
            w.targets(pops, targets);
            w.finish(Map.of("source", "synthetic test"));
        }
        return ScepDataset.open(file);
    }
}
