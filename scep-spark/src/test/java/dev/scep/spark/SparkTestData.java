package dev.scep.spark;

import dev.scep.formats.text.FastaReader;
import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.HalfLifeFeature;
import dev.scep.formats.model.HalfLifeTransform;
import dev.scep.formats.model.OutputSpec;
import dev.scep.formats.model.ParameterInit;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.SequenceEncoding;
import htsjdk.samtools.util.BlockCompressedOutputStream;
import htsjdk.tribble.index.IndexFactory;
import htsjdk.tribble.index.tabix.TabixFormat;
import htsjdk.tribble.index.tabix.TabixIndex;
import htsjdk.variant.vcf.VCFCodec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Inputs for the Spark jobs' tests: the shared alpha-globin region, random-weight models, a bgzip VCF with tabix. */
final class SparkTestData {
    private SparkTestData() {
    }

    static Path region() {
        Path p = Path.of(System.getProperty("scep.shared.data", "../../shared/data")).toAbsolutePath().normalize()
                .resolve("hg38-chr16-alpha-globin");
        assumeTrue(Files.isDirectory(p), "shared data folder not found at " + p + " (it sits beside the checkout)");
        return p;
    }

    /** A small scEP network with random weights and two outputs. */
    static Path model(Path file, long seed) throws IOException {
        Architecture arch = Architecture.scepMultitask(2, 5);
        ScepModel model = new ScepModel(arch, SequenceEncoding.SCEP, List.of(new OutputSpec("a", 0.5, 2), new OutputSpec("b", 0, 1)),
                List.of("utr5_length", "utr3_length", "orf_length", "intron_length", "exon_junction_density").stream()
                        .map(n -> new HalfLifeFeature(n, HalfLifeTransform.LOG10_PLUS_0_1, 2, 1)).toList(),
                Map.of(), List.of(ParameterInit.pytorchDefault(arch, seed)));
        ScepModelFile.write(model, file);
        return file;
    }

    /**
     * The region twice, as {@code chr16} and {@code chr16b}, with its annotation on both: a VCF of chr16 then leaves
     * the genes of chr16b unvisited (everyone's genome is the reference there).
     *
     * @return {fasta, gtf}
     */
    static Path[] twoContigs(Path dir) throws IOException {
        String fa = Files.readString(region().resolve("region.fa"));
        Files.writeString(dir.resolve("two.fa"), fa + fa.replaceFirst("^>chr16", ">chr16b"));
        StringBuilder gtf = new StringBuilder();
        for (String line : Files.readAllLines(region().resolve("refseq.gtf"))) {
            gtf.append(line).append('\n');
        }
        for (String line : Files.readAllLines(region().resolve("refseq.gtf"))) {
            if (line.startsWith("chr16\t")) {
                gtf.append("chr16b").append(line.substring(5).replace("gene_id \"", "gene_id \"b_")
                        .replace("transcript_id \"", "transcript_id \"b_")).append('\n');
            }
        }
        Files.writeString(dir.resolve("two.gtf"), gtf.toString());
        return new Path[]{dir.resolve("two.fa"), dir.resolve("two.gtf")};
    }

    /**
     * A phased cohort over the region: {@code samples} samples, a site about every {@code spacing} nt (SNVs, some
     * multi-allelic, some indels, a few REF mismatches), genotypes {@code a|b} drawn with allele frequencies of about
     * 0.2, now and then missing ({@code .|0}). Sorted, bgzip, with a tabix index.
     */
    static Path cohort(Path file, int samples, int spacing, long seed) throws IOException {
        byte[] genome;
        try (FastaReader r = new FastaReader(region().resolve("region.fa"))) {
            genome = r.next().sequence();
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("##fileformat=VCFv4.2\n##contig=<ID=chr16>\n"
                + "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT");
        for (int s = 0; s < samples; s++) {
            sb.append("\tS").append(s + 1);
        }
        sb.append('\n');
        String bases = "ACGT";
        for (long pos = 1 + rnd.nextInt(spacing); pos < genome.length - 20; pos += 1 + rnd.nextInt(2 * spacing)) {
            char ref = Character.toUpperCase((char) genome[(int) pos - 1]);
            if (bases.indexOf(ref) < 0) {
                continue;
            }
            char alt = bases.charAt((bases.indexOf(ref) + 1 + rnd.nextInt(3)) % 4);
            String r = String.valueOf(ref);
            String a = String.valueOf(alt);
            int alleles = 2;
            int kind = rnd.nextInt(25);
            if (kind == 0) {
                a = r + "TG";                       // an insertion (skipped, counted)
            } else if (kind == 1) {
                char third = bases.charAt((bases.indexOf(alt) + 1) % 4 == bases.indexOf(ref) ? (bases.indexOf(alt) + 2) % 4
                        : (bases.indexOf(alt) + 1) % 4);
                a = alt + "," + third;
                alleles = 3;
            } else if (kind == 2 && rnd.nextInt(3) == 0) {
                r = String.valueOf(alt);            // a REF mismatch
                a = String.valueOf(ref);
            }
            sb.append("chr16\t").append(pos).append("\t.\t").append(r).append('\t').append(a).append("\t.\t.\t.\tGT");
            for (int s = 0; s < samples; s++) {
                sb.append('\t').append(allele(rnd, alleles)).append('|').append(allele(rnd, alleles));
            }
            sb.append('\n');
        }
        try (OutputStream out = new BlockCompressedOutputStream(file.toFile())) {
            out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        }
        IndexFactory.createTabixIndex(file.toFile(), new VCFCodec(), TabixFormat.VCF, null)
                .write(file.resolveSibling(file.getFileName() + ".tbi"));
        return file;
    }

    private static String allele(SplittableRandom rnd, int alleles) {
        int roll = rnd.nextInt(100);
        return roll < 2 ? "." : roll < 80 ? "0" : Integer.toString(1 + rnd.nextInt(alleles - 1));
    }

    /**
     * A sorted bgzip VCF over the region with its tabix index: SNVs (some multi-allelic), MNPs, deletions and
     * insertions, REF taken from the genome, and a few REF mismatches, about one variant every {@code spacing} nt.
     */
    static Path vcf(Path file, int spacing, long seed) throws IOException {
        byte[] genome;
        try (FastaReader r = new FastaReader(region().resolve("region.fa"))) {
            genome = r.next().sequence();
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("##fileformat=VCFv4.2\n##contig=<ID=chr16>\n"
                + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
        String bases = "ACGT";
        int n = 0;
        for (long pos = 1 + rnd.nextInt(spacing); pos < genome.length - 20; pos += 1 + rnd.nextInt(2 * spacing)) {
            char ref = Character.toUpperCase((char) genome[(int) pos - 1]);
            if (bases.indexOf(ref) < 0) {
                continue;
            }
            char alt = bases.charAt((bases.indexOf(ref) + 1 + rnd.nextInt(3)) % 4);
            String id = "v" + (++n);
            int kind = rnd.nextInt(20);
            String r = String.valueOf(ref);
            String a = String.valueOf(alt);
            if (kind == 0) {                       // deletion of 1..30 nt
                int len = 1 + rnd.nextInt(30);
                r = new String(genome, (int) pos - 1, len + 1, StandardCharsets.US_ASCII).toUpperCase();
                a = r.substring(0, 1);
            } else if (kind == 1) {                // insertion
                a = r + "ACGTTGCA".substring(0, 1 + rnd.nextInt(8));
            } else if (kind == 2) {                // MNP of 2
                r = new String(genome, (int) pos - 1, 2, StandardCharsets.US_ASCII).toUpperCase();
                a = "" + alt + (r.charAt(1) == 'A' ? 'C' : 'A');
            } else if (kind == 3) {                // multi-allelic SNV
                a = alt + "," + bases.charAt((bases.indexOf(alt) + 1) % 4 == bases.indexOf(ref) ? (bases.indexOf(alt) + 2) % 4
                        : (bases.indexOf(alt) + 1) % 4);
            } else if (kind == 4 && rnd.nextInt(4) == 0) {   // a REF mismatch now and then
                r = String.valueOf(alt);
                a = String.valueOf(ref);
            }
            if (r.chars().anyMatch(c -> bases.indexOf(c) < 0)) {
                continue;
            }
            sb.append("chr16\t").append(pos).append('\t').append(id).append('\t').append(r).append('\t').append(a)
                    .append("\t.\t.\t.\n");
        }
        try (OutputStream out = new BlockCompressedOutputStream(file.toFile())) {
            out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        }
        TabixIndex index = IndexFactory.createTabixIndex(file.toFile(), new VCFCodec(), TabixFormat.VCF, null);
        index.write(file.resolveSibling(file.getFileName() + ".tbi"));
        return file;
    }
}
