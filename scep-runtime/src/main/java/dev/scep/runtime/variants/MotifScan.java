package dev.scep.runtime.variants;

import dev.scep.formats.text.JasparMotif;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Which transcription-factor motif a variant changes most (the paper's reading of INSM1 at rs10866912, Fig. 4G–H):
 * every motif's best log-odds match over the bases of the REF allele and over those of the ALT allele, in genome
 * context, on both strands; the motif whose best match changes most is reported.
 *
 * <p><b>Scores.</b> Each JASPAR count matrix becomes a log-odds matrix: {@code log2(p / 0.25)} with
 * {@code p = (count + PSEUDOCOUNT) / (column total + 4 × PSEUDOCOUNT)}, i.e. a pseudocount of {@value #PSEUDOCOUNT} added
 * to each of the four counts of a column (one uniform observation per column, so that a base never seen in a small
 * SELEX matrix costs a finite score) against a uniform background of 0.25 per base (genome composition is not
 * assumed: promoters are GC-rich, and a uniform background keeps scores comparable between regions). A match scores
 * the sum of its positions' log-odds (bits); a base other than A, C, G or T (an N of the genome) scores the mean of its
 * column's four log-odds.
 *
 * <p><b>Placements.</b> For a motif of length L, the allele's sequence is the allele's bases with the L − 1 genome
 * bases before and after it (plus strand); every placement of the motif in it overlaps the allele (for an allele of
 * no bases, spans the junction), and each is scored on the plus strand and, with the reverse complement of the
 * matrix, on the minus strand. The best of these is the allele's score. For indels the ALT sequence is the edited
 * sequence (ALT's bases between the same flanks), so a VCF's padding base is part of both. Context that runs outside
 * the genome kept around a gene's window ({@link GenePanel#FLANK} nt beyond it) is cut there.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * MotifScan scan = MotifScan.load(Path.of("jaspar-pfm"));
 * MotifScan.Change c = scan.scan("ACGTTGCA", "G", "A", "TTGACCA");
 * System.out.println(c.motif().id() + " " + c.motif().name() + " " + c.effect() + " " + c.change());
 * }</pre>
 */
public final class MotifScan {
    /** The pseudocount added to each of the four counts of every column before taking log-odds. */
    public static final double PSEUDOCOUNT = 0.25;

    /** The background probability of each base. */
    public static final double BACKGROUND = 0.25;

    /**
     * The best match of one motif over one allele's sequence.
     *
     * @param score  the match's log-odds score (bits)
     * @param strand {@code '+'} when the motif matches the plus strand, {@code '-'} when its reverse complement does
     * @param offset where the match's leftmost base (plus strand) lies relative to the allele's first base: 0 is the
     *               allele's first base, −3 three bases before it (counted in the allele's own sequence)
     */
    public record Match(double score, char strand, int offset) {
    }

    /**
     * How one motif's best match changes from REF to ALT.
     *
     * @param motif the motif
     * @param ref   its best match over the REF allele
     * @param alt   its best match over the ALT allele
     */
    public record Change(JasparMotif motif, Match ref, Match alt) {
        /** Checks for nulls. */
        public Change {
            Objects.requireNonNull(motif, "motif");
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(alt, "alt");
        }

        /**
         * The change.
         *
         * @return ALT's best score − REF's best score (bits)
         */
        public double change() {
            return alt.score() - ref.score();
        }

        /**
         * In words.
         *
         * @return {@code "gained"} when ALT matches better, {@code "lost"} when worse, {@code "none"} when equal
         */
        public String effect() {
            double d = change();
            return d > 0 ? "gained" : d < 0 ? "lost" : "none";
        }

        /**
         * The match that makes the motif's case: ALT's when gained, REF's when lost or unchanged.
         *
         * @return the better of the two matches
         */
        public Match best() {
            return change() > 0 ? alt : ref;
        }
    }

    private final List<JasparMotif> motifs;
    private final double[][][] plus;    // [motif][position][base A, C, G, T, other]
    private final double[][][] minus;   // the reverse complement
    private final int flank;

    private MotifScan(List<JasparMotif> motifs) {
        if (motifs.isEmpty()) {
            throw new IllegalArgumentException("no motifs");
        }
        this.motifs = List.copyOf(motifs);
        this.plus = new double[motifs.size()][][];
        this.minus = new double[motifs.size()][][];
        int longest = 0;
        for (int m = 0; m < motifs.size(); m++) {
            JasparMotif motif = motifs.get(m);
            if (motif.length() == 0) {
                throw new IllegalArgumentException("motif " + motif.id() + " has no positions");
            }
            double[][] lo = logOdds(motif);
            int len = motif.length();
            plus[m] = new double[len][5];
            minus[m] = new double[len][5];
            for (int j = 0; j < len; j++) {
                double mean = 0;
                for (int b = 0; b < 4; b++) {
                    plus[m][j][b] = lo[b][j];
                    minus[m][len - 1 - j][3 - b] = lo[b][j];   // complement: A<->T, C<->G
                    mean += lo[b][j] / 4;
                }
                plus[m][j][4] = mean;
                minus[m][len - 1 - j][4] = mean;
            }
            longest = Math.max(longest, len);
        }
        this.flank = longest - 1;
    }

    /**
     * Scans with these motifs.
     *
     * @param motifs the motifs, at least one, each with at least one position
     * @return the scanner
     * @throws IllegalArgumentException when there are none, or one has no positions
     */
    public static MotifScan of(List<JasparMotif> motifs) {
        return new MotifScan(motifs);
    }

    /**
     * Scans with every JASPAR {@code .pfm} of a folder ({@link JasparMotif#readAll}).
     *
     * @param dir the folder (a {@code matrix_list.txt} beside the matrices names them)
     * @return the scanner
     * @throws dev.scep.formats.text.InputFormatException naming the folder when it holds no {@code .pfm}, or the file
     *                                                    and line of a malformed matrix
     * @throws IOException                                when the folder or a file cannot be read
     */
    public static MotifScan load(Path dir) throws IOException {
        return new MotifScan(JasparMotif.readAll(dir));
    }

    /**
     * The log-odds matrix of a motif, as scanned.
     *
     * @param motif the motif
     * @return lo[base][position], bases A, C, G, T: {@code log2(p / BACKGROUND)} with {@link #PSEUDOCOUNT} per count
     */
    public static double[][] logOdds(JasparMotif motif) {
        double[][] p = motif.probabilities(PSEUDOCOUNT);
        for (double[] row : p) {
            for (int j = 0; j < row.length; j++) {
                row[j] = Math.log(row[j] / BACKGROUND) / Math.log(2);
            }
        }
        return p;
    }

    /**
     * The motifs, in the order ties are broken (the first wins).
     *
     * @return the motifs
     */
    public List<JasparMotif> motifs() {
        return motifs;
    }

    /**
     * How much genome context each side of an allele the longest motif needs.
     *
     * @return the longest motif's length − 1
     */
    public int flank() {
        return flank;
    }

    /**
     * The motif whose best match changes most between two alleles, given their plus-strand context (case ignored).
     *
     * @param left  the genome before the allele (only its last {@link #flank()} bases are used; fewer cut the
     *              placements there)
     * @param ref   the REF allele's bases
     * @param alt   the ALT allele's bases
     * @param right the genome after the REF allele (only its first {@link #flank()} bases are used)
     * @return the motif with the largest |ALT best − REF best| (ties: the first motif), or null when no motif fits in
     *         either sequence
     */
    public Change scan(String left, String ref, String alt, String right) {
        byte[] l = encode(left.substring(Math.max(0, left.length() - flank)));
        byte[] r = encode(right.substring(0, Math.min(right.length(), flank)));
        byte[] refSeq = join(l, encode(ref), r);
        byte[] altSeq = join(l, encode(alt), r);
        Change best = null;
        double bestAbs = -1;
        for (int m = 0; m < motifs.size(); m++) {
            Match a = best(m, refSeq, l.length, ref.length());
            Match b = best(m, altSeq, l.length, alt.length());
            if (a == null || b == null) {
                continue;
            }
            double d = Math.abs(b.score() - a.score());
            if (d > bestAbs) {
                bestAbs = d;
                best = new Change(motifs.get(m), a, b);
            }
        }
        return best;
    }

    /**
     * The motif whose best match changes most when {@code ref} at {@code pos} becomes {@code alt}, with context from
     * the genome kept around a gene's window (cut where that genome ends).
     *
     * @param gene any gene whose kept genome holds the allele
     * @param pos  1-based position of REF's first base
     * @param ref  the REF allele (as in the genome)
     * @param alt  the ALT allele
     * @return as {@link #scan(String, String, String, String)}
     */
    public Change scan(GenePanel.Gene gene, long pos, String ref, String alt) {
        long start = gene.segmentStart();
        long end = start + gene.segmentBases().length;   // exclusive
        long leftFrom = Math.max(start, pos - flank);
        long rightFrom = pos + ref.length();
        long rightTo = Math.min(end, rightFrom + flank);
        String left = pos > leftFrom && pos <= end ? gene.reference(leftFrom, (int) (pos - leftFrom)) : "";
        String right = rightTo > rightFrom && rightFrom >= start ? gene.reference(rightFrom, (int) (rightTo - rightFrom)) : "";
        return scan(left, ref, alt, right);
    }

    /** The best match of motif m over seq, placements restricted to those within its length − 1 of the allele. */
    private Match best(int m, byte[] seq, int alleleStart, int alleleLength) {
        double[][] p = plus[m];
        double[][] q = minus[m];
        int len = p.length;
        int from = Math.max(0, alleleStart - (len - 1));
        int to = Math.min(seq.length - len, alleleStart + Math.max(alleleLength, 1) - 1);   // last start, inclusive
        if (alleleLength == 0) {
            from = Math.max(0, alleleStart - (len - 1));
            to = Math.min(seq.length - len, alleleStart - 1);
        }
        double bestScore = Double.NEGATIVE_INFINITY;
        char strand = '+';
        int offset = 0;
        for (int s = from; s <= to; s++) {
            double f = 0;
            double rc = 0;
            for (int j = 0; j < len; j++) {
                int b = seq[s + j];
                f += p[j][b];
                rc += q[j][b];
            }
            if (f > bestScore) {
                bestScore = f;
                strand = '+';
                offset = s - alleleStart;
            }
            if (rc > bestScore) {
                bestScore = rc;
                strand = '-';
                offset = s - alleleStart;
            }
        }
        return bestScore == Double.NEGATIVE_INFINITY ? null : new Match(bestScore, strand, offset);
    }

    private static byte[] encode(String s) {
        byte[] out = new byte[s.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (s.charAt(i)) {
                case 'A', 'a' -> 0;
                case 'C', 'c' -> 1;
                case 'G', 'g' -> 2;
                case 'T', 't' -> 3;
                default -> 4;
            };
        }
        return out;
    }

    private static byte[] join(byte[] a, byte[] b, byte[] c) {
        byte[] out = new byte[a.length + b.length + c.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        System.arraycopy(c, 0, out, a.length + b.length, c.length);
        return out;
    }
}
