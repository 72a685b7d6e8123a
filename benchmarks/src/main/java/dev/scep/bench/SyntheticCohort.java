package dev.scep.bench;

import dev.scep.formats.annotation.GeneSelection;
import dev.scep.formats.genome.WindowGeometry;
import dev.scep.runtime.variants.GenePanel;
import htsjdk.samtools.util.BlockCompressedOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A phased cohort over a {@link SyntheticGenome}'s gene windows (bgzip VCF): per window about 100 segregating SNVs
 * (one per ~105 nt, like 1000 Genomes in a few hundred samples), 40% of them common and carried by some of 30 founder
 * haplotypes that the cohort's haplotypes descend from (unequal founder frequencies: linkage disequilibrium), 60%
 * rare (1-3 carrier haplotypes). Each haplotype then differs from the reference at ~10 sites per window, and a few
 * dozen to a hundred-odd distinct haplotypes occur per gene.
 *
 * <p>Usage: {@code SyntheticCohort GENOME_DIR VCF_OUT [samples=500]}
 */
public final class SyntheticCohort {
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Path vcf = Path.of(args[1]);
        int samples = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int haplotypes = 2 * samples;
        GenePanel panel = GenePanel.load(dir.resolve("genome.fa"), dir.resolve("genes.gtf"), new WindowGeometry(7000, 3500),
                GeneSelection.Options.DEFAULTS.withKeepNoncoding(true));
        SplittableRandom rnd = new SplittableRandom(11);
        List<String> contigs = new ArrayList<>(panel.contigs());
        contigs.sort((a, b) -> Integer.compare(Integer.parseInt(a.substring(3)), Integer.parseInt(b.substring(3))));
        long records = 0;
        long altAlleles = 0;
        try (OutputStream o = new BufferedOutputStream(new BlockCompressedOutputStream(vcf.toFile()), 1 << 20)) {
            StringBuilder h = new StringBuilder("##fileformat=VCFv4.2\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Phased genotype\">\n");
            for (String c : contigs) {
                h.append("##contig=<ID=").append(c).append(">\n");
            }
            h.append("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT");
            for (int s = 0; s < samples; s++) {
                h.append("\tI").append(s);
            }
            o.write(h.append('\n').toString().getBytes(StandardCharsets.US_ASCII));
            byte[] line = new byte[64 + 4 * samples];
            for (String c : contigs) {
                for (GenePanel.Gene g : panel.genesOn(c)) {
                    long start = panel.windowSpan(g)[0];
                    int founders = 30;
                    double[] weight = new double[founders];
                    double sum = 0;
                    for (int f = 0; f < founders; f++) {
                        weight[f] = Math.exp(rnd.nextGaussian());
                        sum += weight[f];
                    }
                    int[] founderOf = new int[haplotypes];
                    for (int k = 0; k < haplotypes; k++) {
                        double u = rnd.nextDouble() * sum;
                        int f = 0;
                        while (f < founders - 1 && (u -= weight[f]) > 0) {
                            f++;
                        }
                        founderOf[k] = f;
                    }
                    TreeMap<Long, Boolean> sites = new TreeMap<>();   // position -> common
                    while (sites.size() < 100) {
                        sites.put(start + rnd.nextInt(10_500), rnd.nextInt(10) < 4);
                    }
                    boolean[] carries = new boolean[haplotypes];
                    for (var site : sites.entrySet()) {
                        long pos = site.getKey();
                        int ref = "ACGT".indexOf(Character.toUpperCase((char) g.segment()[(int) (pos - g.segmentStart())]));
                        if (ref < 0) {
                            continue;
                        }
                        java.util.Arrays.fill(carries, false);
                        if (site.getValue()) {
                            double freq = rnd.nextDouble(0.02, 0.5);
                            boolean[] founderCarries = new boolean[founders];
                            for (int f = 0; f < founders; f++) {
                                founderCarries[f] = rnd.nextDouble() < freq;
                            }
                            for (int k = 0; k < haplotypes; k++) {
                                carries[k] = founderCarries[founderOf[k]];
                            }
                        } else {
                            for (int n = 1 + rnd.nextInt(3); n > 0; n--) {
                                carries[rnd.nextInt(haplotypes)] = true;
                            }
                        }
                        int p = 0;
                        String head = c + "\t" + pos + "\t.\t" + "ACGT".charAt(ref) + "\t" + "ACGT".charAt((ref + 1 + rnd.nextInt(3)) % 4)
                                + "\t.\tPASS\t.\tGT";
                        for (byte b : head.getBytes(StandardCharsets.US_ASCII)) {
                            line[p++] = b;
                        }
                        for (int s = 0; s < samples; s++) {
                            line[p++] = '\t';
                            line[p++] = (byte) (carries[2 * s] ? '1' : '0');
                            line[p++] = '|';
                            line[p++] = (byte) (carries[2 * s + 1] ? '1' : '0');
                            altAlleles += (carries[2 * s] ? 1 : 0) + (carries[2 * s + 1] ? 1 : 0);
                        }
                        line[p++] = '\n';
                        o.write(line, 0, p);
                        records++;
                    }
                }
            }
        }
        System.out.printf("cohort: %,d samples, %,d genes, %,d records (%.0f nt apart in windows), %.1f alt alleles per haplotype per window -> %s%n",
                samples, panel.genes().size(), records, 10_500.0 * panel.genes().size() / records,
                altAlleles / (double) haplotypes / panel.genes().size(), vcf);
    }
}
