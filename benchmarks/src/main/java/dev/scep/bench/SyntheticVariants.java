package dev.scep.bench;

import dev.scep.formats.annotation.GeneSelection;
import dev.scep.formats.genome.WindowGeometry;
import dev.scep.formats.io.ScepModelFile;
import dev.scep.runtime.variants.GenePanel;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The inputs of the variant-scoring benchmark, from a {@link SyntheticGenome} folder: the 20-output scEP model with
 * random weights, and a sorted sites-only VCF of SNVs that all fall inside gene windows (the hardest case: every
 * record is scored), with REF alleles taken from the genome.
 *
 * <p>Usage: {@code SyntheticVariants GENOME_DIR MODEL_OUT VCF_OUT [snvs=1000000]}
 */
public final class SyntheticVariants {
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Path model = Path.of(args[1]);
        Path vcf = Path.of(args[2]);
        int snvs = args.length > 3 ? Integer.parseInt(args[3]) : 1_000_000;
        ScepModelFile.write(BenchModels.byName("scep20", 1), model);
        WindowGeometry geometry = new WindowGeometry(7000, 3500);
        GenePanel panel = GenePanel.load(dir.resolve("genome.fa"), dir.resolve("genes.gtf"), geometry,
                GeneSelection.Options.DEFAULTS.withKeepNoncoding(true));
        List<GenePanel.Gene> genes = panel.genes();
        Map<String, List<long[]>> byContig = new LinkedHashMap<>();   // contig -> (position << 8 | ref << 4 | alt)
        SplittableRandom rnd = new SplittableRandom(7);
        String bases = "ACGT";
        int made = 0;
        while (made < snvs) {
            GenePanel.Gene g = genes.get(rnd.nextInt(genes.size()));
            long start = panel.windowSpan(g)[0];
            long pos = start + rnd.nextInt(geometry.length());
            int ref = bases.indexOf(Character.toUpperCase((char) g.segment()[(int) (pos - g.segmentStart())]));
            if (ref < 0) {
                continue;   // N: no SNV here
            }
            int alt = (ref + 1 + rnd.nextInt(3)) % 4;
            byContig.computeIfAbsent(g.transcript().contig(), c -> new ArrayList<>()).add(new long[]{pos << 8 | ref << 4 | alt});
            made++;
        }
        List<String> contigs = new ArrayList<>(byContig.keySet());
        contigs.sort((a, b) -> Integer.compare(Integer.parseInt(a.substring(3)), Integer.parseInt(b.substring(3))));
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(vcf, StandardCharsets.US_ASCII), 1 << 20)) {
            w.write("##fileformat=VCFv4.2\n");
            for (String c : contigs) {
                w.write("##contig=<ID=" + c + ">\n");
            }
            w.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
            for (String c : contigs) {
                long[] v = byContig.get(c).stream().mapToLong(x -> x[0]).toArray();
                Arrays.sort(v);
                for (long x : v) {
                    long pos = x >>> 8;
                    w.write(c + "\t" + pos + "\t.\t" + bases.charAt((int) (x >> 4 & 15)) + "\t" + bases.charAt((int) (x & 15))
                            + "\t.\t.\t.\n");
                }
            }
        }
        System.out.printf("%,d SNVs in the windows of %,d genes -> %s; model scep20 -> %s%n", made, genes.size(), vcf, model);
    }
}
