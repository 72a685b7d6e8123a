package dev.scep.bench;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the inputs of a genome-wide {@code scep prepare} run: a FASTA (soft-masked stretches and N gaps), a GTF
 * with one to two transcripts per gene (exons, CDS, start/stop codons, a canonical tag on some genes), a single-cell
 * Matrix Market file (gzip) with its gene list, and a cell table with nested tissue/class/subclass columns.
 *
 * <p>Usage: {@code SyntheticGenome OUT_DIR [genes=20000] [cells=3000] [contigs=20] [spacing=30000] [index]}: with
 * {@code index}, also a {@code .fai} beside the FASTA (as {@code samtools faidx} writes it), so readers can seek.
 */
public final class SyntheticGenome {
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        int genes = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int cells = args.length > 2 ? Integer.parseInt(args[2]) : 3_000;
        int contigs = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        int spacing = args.length > 4 ? Integer.parseInt(args[4]) : 30_000;
        Files.createDirectories(out);
        SplittableRandom rnd = new SplittableRandom(42);
        int perContig = (genes + contigs - 1) / contigs;
        long contigLength = (long) perContig * spacing + 20_000;
        writeFasta(out.resolve("genome.fa"), contigs, contigLength, rnd.split());
        if (args.length > 5 && args[5].equals("index")) {
            writeFai(out.resolve("genome.fa.fai"), contigs, contigLength);
        }
        writeGtf(out.resolve("genes.gtf"), genes, perContig, spacing, rnd.split());
        writeExpression(out, genes, cells, rnd.split());
        System.out.printf("synthetic genome: %d genes on %d contigs of %,d nt; %d cells -> %s%n", genes, contigs, contigLength, cells, out);
    }

    /** The faidx index of {@link #writeFasta}'s layout: NAME, LENGTH, OFFSET, 60 bases and 61 bytes per line. */
    private static void writeFai(Path file, int contigs, long length) throws IOException {
        StringBuilder sb = new StringBuilder();
        long offset = 0;
        for (int c = 1; c <= contigs; c++) {
            String header = ">chr" + c + " synthetic\n";
            offset += header.length();
            sb.append("chr").append(c).append('\t').append(length).append('\t').append(offset).append("\t60\t61\n");
            offset += length + (length + 59) / 60;
        }
        Files.writeString(file, sb);
    }

    private static void writeFasta(Path file, int contigs, long length, SplittableRandom rnd) throws IOException {
        byte[] upper = "ACGT".getBytes(StandardCharsets.US_ASCII);
        byte[] lower = "acgt".getBytes(StandardCharsets.US_ASCII);
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            byte[] line = new byte[61];
            line[60] = '\n';
            for (int c = 1; c <= contigs; c++) {
                o.write((">chr" + c + " synthetic\n").getBytes(StandardCharsets.US_ASCII));
                boolean masked = false;
                int gap = 0;
                for (long pos = 0; pos < length; pos += 60) {
                    int n = (int) Math.min(60, length - pos);
                    for (int i = 0; i < n; i++) {
                        if (rnd.nextInt(2000) == 0) {
                            masked = !masked;
                        }
                        if (gap == 0 && rnd.nextInt(500_000) == 0) {
                            gap = 50 + rnd.nextInt(500);
                        }
                        int b = rnd.nextInt(4);
                        line[i] = gap > 0 ? (byte) 'N' : masked ? lower[b] : upper[b];
                        gap = Math.max(0, gap - 1);
                    }
                    if (n < 60) {
                        line[n] = '\n';
                        o.write(line, 0, n + 1);
                    } else {
                        o.write(line);
                    }
                }
            }
        }
    }

    private static void writeGtf(Path file, int genes, int perContig, int spacing, SplittableRandom rnd) throws IOException {
        try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.US_ASCII), 1 << 20)) {
            w.write("#!genome-build synthetic\n");
            for (int g = 0; g < genes; g++) {
                String contig = "chr" + (1 + g / perContig);
                long start = 10_000L + (long) (g % perContig) * spacing + rnd.nextInt(2_000);
                boolean plus = rnd.nextBoolean();
                boolean coding = rnd.nextInt(20) != 0;
                int exons = 3 + rnd.nextInt(6);
                long[] es = new long[exons];
                long[] ee = new long[exons];
                long p = start;
                for (int e = 0; e < exons; e++) {
                    es[e] = p;
                    ee[e] = p + 100 + rnd.nextInt(300);
                    p = ee[e] + 300 + rnd.nextInt(1_700);
                }
                String geneId = String.format("ENSG%011d.1", g);
                String attrs = "gene_id \"" + geneId + "\"; gene_name \"SYN" + g + "\"; gene_biotype \""
                        + (coding ? "protein_coding" : "lncRNA") + "\"; ";
                boolean tagged = rnd.nextBoolean();
                transcript(w, contig, plus, es, ee, coding, attrs + "transcript_id \"ENST" + g + "A\";"
                        + (tagged ? " tag \"Ensembl_canonical\";" : ""), rnd);
                if (rnd.nextBoolean() && exons > 3) { // an alternative transcript without the second exon
                    long[] as = new long[exons - 1];
                    long[] ae = new long[exons - 1];
                    as[0] = es[0];
                    ae[0] = ee[0];
                    System.arraycopy(es, 2, as, 1, exons - 2);
                    System.arraycopy(ee, 2, ae, 1, exons - 2);
                    transcript(w, contig, plus, as, ae, coding, attrs + "transcript_id \"ENST" + g + "B\";", rnd);
                }
            }
        }
    }

    /** Exon rows, and for coding transcripts CDS rows plus start and stop codons (GTF style: stop outside the CDS). */
    private static void transcript(Writer w, String contig, boolean plus, long[] es, long[] ee, boolean coding, String attrs,
                                   SplittableRandom rnd) throws IOException {
        char strand = plus ? '+' : '-';
        int n = es.length;
        for (int e = 0; e < n; e++) {
            row(w, contig, "exon", es[e], ee[e], strand, attrs);
        }
        if (!coding) {
            return;
        }
        // coding from inside the first exon to inside the last (in genomic order), at least 20 nt from each exon end
        long a = es[0] + 20 + rnd.nextInt(60);
        long b = ee[n - 1] - 20 - rnd.nextInt(60);
        long startCodon = plus ? a : b - 2;
        long stopCodon = plus ? b - 2 : a;
        long cdsFrom = plus ? a : a + 3;
        long cdsTo = plus ? b - 3 : b;
        for (int e = 0; e < n; e++) {
            long s = Math.max(es[e], cdsFrom);
            long t = Math.min(ee[e], cdsTo);
            if (s <= t) {
                row(w, contig, "CDS", s, t, strand, attrs);
            }
        }
        row(w, contig, "start_codon", startCodon, startCodon + 2, strand, attrs);
        row(w, contig, "stop_codon", stopCodon, stopCodon + 2, strand, attrs);
    }

    private static void row(Writer w, String contig, String feature, long s, long e, char strand, String attrs) throws IOException {
        w.write(contig + "\tsynthetic\t" + feature + "\t" + s + "\t" + e + "\t.\t" + strand + "\t.\t" + attrs + "\n");
    }

    private static void writeExpression(Path out, int genes, int cells, SplittableRandom rnd) throws IOException {
        String[] classes = {"myeloid", "lymphoid", "stromal", "epithelial"};
        int[] classOf = new int[cells];
        int[] subclassOf = new int[cells];
        try (Writer w = Files.newBufferedWriter(out.resolve("cells.tsv"))) {
            w.write("cell\ttissue\tclass\tsubclass\n");
            for (int c = 0; c < cells; c++) {
                // skewed population sizes, as in real tissues
                double u = rnd.nextDouble();
                classOf[c] = u < 0.5 ? 0 : u < 0.8 ? 1 : u < 0.95 ? 2 : 3;
                subclassOf[c] = rnd.nextInt(3);
                w.write("cell" + c + "\tblood\t" + classes[classOf[c]] + "\t" + classes[classOf[c]] + "_" + subclassOf[c] + "\n");
            }
        }
        int extra = genes / 10; // genes in the matrix that the annotation lacks
        try (Writer w = Files.newBufferedWriter(out.resolve("genes.tsv"))) {
            for (int g = 0; g < genes + extra; g++) {
                w.write(String.format("ENSG%011d\tSYN%d%n", g, g)); // no version suffix: matched without it
            }
        }
        StringBuilder body = new StringBuilder(1 << 20);
        long entries = 0;
        Path tmp = out.resolve("entries.tmp");
        try (Writer w = Files.newBufferedWriter(tmp)) {
            for (int g = 0; g < genes + extra; g++) {
                double p = Math.min(0.6, Math.exp(-3 + rnd.nextGaussian()));
                int specific = rnd.nextInt(4);
                for (int c = 0; c < cells; c++) {
                    double q = classOf[c] == specific ? Math.min(1, 2 * p) : p;
                    if (rnd.nextDouble() < q) {
                        body.append(g + 1).append(' ').append(c + 1).append(' ').append(1 + rnd.nextInt(20)).append('\n');
                        entries++;
                    }
                }
                if (body.length() > (1 << 20)) {
                    w.write(body.toString());
                    body.setLength(0);
                }
            }
            w.write(body.toString());
        }
        try (OutputStream o = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(out.resolve("matrix.mtx.gz")), 1 << 20), 1 << 16)) {
            o.write(("%%MatrixMarket matrix coordinate integer general\n" + (genes + extra) + " " + cells + " " + entries + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Files.copy(tmp, o);
        }
        Files.delete(tmp);
    }
}
