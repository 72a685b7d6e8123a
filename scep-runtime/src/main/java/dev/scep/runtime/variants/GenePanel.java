package dev.scep.runtime.variants;

import dev.scep.formats.annotation.AnnotationReader;
import dev.scep.formats.annotation.GeneSelection;
import dev.scep.formats.annotation.HalfLifeFeatures;
import dev.scep.formats.annotation.Strand;
import dev.scep.formats.annotation.Transcript;
import dev.scep.formats.genome.ContigSequence;
import dev.scep.formats.genome.GenomeSource;
import dev.scep.formats.genome.GenomeWindows;
import dev.scep.formats.genome.TssWindows;
import dev.scep.formats.genome.WindowGeometry;
import dev.scep.formats.text.InputFormatException;
import dev.scep.formats.text.Sequences;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The genes a variant can act on: one transcript per gene from an annotation, each with the genome around its TSS
 * window (the window plus {@link #FLANK} nt each side, so indels can be applied and the window re-cut with the TSS
 * kept in place), in genomic order, and its raw half-life features.
 */
public final class GenePanel {
    /** Extra genome kept beyond each window end; indels longer than this are not scored. */
    public static final int FLANK = 1000;

    /**
     * One gene of the panel: its transcript, and the genome around its window: {@code segment()} is the plus-strand
     * genome {@code [segmentStart, segmentStart + length)} in 1-based VCF coordinates (the window plus {@link #FLANK}
     * each side). Immutable: accessors return copies.
     */
    public static final class Gene {
        private final Transcript transcript;
        private final long segmentStart;
        private final byte[] segment;
        private final double[] halfLife;

        Gene(Transcript transcript, long segmentStart, byte[] segment, double[] halfLife) {
            this.transcript = transcript;
            this.segmentStart = segmentStart;
            this.segment = segment;
            this.halfLife = halfLife;
        }

        /**
         * The transcript chosen for this gene.
         *
         * @return the transcript (gene id and name, contig, strand, exons)
         */
        public Transcript transcript() {
            return transcript;
        }

        /**
         * Where the kept genome starts.
         *
         * @return 1-based genome position of {@code segment()[0]}
         */
        public long segmentStart() {
            return segmentStart;
        }

        /**
         * The genome kept around the window, plus strand, as in the FASTA (soft-masking kept).
         *
         * @return a copy of the bases
         */
        public byte[] segment() {
            return segment.clone();
        }

        /** The bases themselves, for this package's scorers (never handed out). */
        byte[] segmentBases() {
            return segment;
        }

        /**
         * The raw half-life features from the annotation (5′ UTR, 3′ UTR, ORF and intron lengths, exon-junction density).
         *
         * @return a copy of the five values
         */
        public double[] halfLife() {
            return halfLife.clone();
        }

        /**
         * Reference bases of the genome kept around the window.
         *
         * @param pos    1-based genome position of the first base
         * @param length how many bases
         * @return the bases, upper-cased, plus strand
         * @throws IndexOutOfBoundsException when they run outside the genome kept around the window
         */
        public String reference(long pos, int length) {
            long idx = pos - segmentStart;
            if (idx < 0 || length < 0 || idx + length > segment.length) {
                throw new IndexOutOfBoundsException(transcript.contig() + ":" + pos + "+" + length + " lies outside the genome kept"
                        + " around " + this + " (" + segmentStart + "-" + (segmentStart + segment.length - 1) + ")");
            }
            return new String(segment, (int) idx, length, java.nio.charset.StandardCharsets.US_ASCII).toUpperCase(java.util.Locale.ROOT);
        }

        /**
         * The TSS.
         *
         * @return 1-based genome position of the transcription start site
         */
        public long tss() {
            return transcript.tss();
        }

        /**
         * The strand.
         *
         * @return true when the gene is on the plus strand
         */
        public boolean plus() {
            return transcript.strand() == Strand.PLUS;
        }

        /**
         * Whether upper-case {@code ref} is the genome at 1-based {@code pos} (the genome may be soft-masked); false
         * when it runs outside the genome kept around the window.
         *
         * @param pos 1-based genome position of the first base of {@code ref}
         * @param ref upper-case bases
         * @return whether the genome has {@code ref} there
         */
        public boolean matchesGenome(long pos, String ref) {
            long idx = pos - segmentStart;
            if (idx < 0 || idx + ref.length() > segment.length) {
                return false;
            }
            for (int i = 0; i < ref.length(); i++) {
                if (Character.toUpperCase((char) segment[(int) idx + i]) != ref.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return transcript.geneId() + " (" + transcript.contig() + ":" + tss() + (plus() ? "+" : "-") + ")";
        }
    }

    private final List<Gene> genes;
    private final java.util.Set<Gene> members = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final Map<String, List<Gene>> byContig = new HashMap<>();   // each sorted by window start
    private final Map<String, long[]> windowStarts = new HashMap<>();  // the same order
    private final WindowGeometry geometry;
    private final GenomeWindows.Report report;
    private final List<Path> sources;

    private GenePanel(List<Gene> genes, WindowGeometry geometry, GenomeWindows.Report report, List<Path> sources) {
        this.sources = sources;
        this.genes = genes;
        this.members.addAll(genes);
        this.geometry = geometry;
        this.report = report;
        for (Gene g : genes) {
            byContig.computeIfAbsent(g.transcript().contig(), c -> new ArrayList<>()).add(g);
        }
        for (Map.Entry<String, List<Gene>> e : byContig.entrySet()) {
            e.getValue().sort(java.util.Comparator.comparingLong(g -> windowSpan(g)[0]));
            windowStarts.put(e.getKey(), e.getValue().stream().mapToLong(g -> windowSpan(g)[0]).toArray());
        }
    }

    /**
     * Reads the annotation, selects one transcript per gene, and cuts each gene's window plus {@link #FLANK} bases each
     * side from the genome (in parallel for an indexed FASTA).
     *
     * @param fasta      the genome: plain, gzip or bgzip; indexed ({@code .fai}, {@code .gzi}) or streamed once
     * @param annotation GTF or GFF3, plain or gzip
     * @param geometry   bases upstream and downstream of the TSS ({@code model.windowGeometry()})
     * @param selection  which genes and transcripts ({@link GeneSelection.Options#DEFAULTS} is what {@code scep
     *                   prepare} uses)
     * @return the panel; immutable, safe to share between threads
     * @throws IOException for unreadable input; bad records are {@link InputFormatException}s naming the file and line
     */
    public static GenePanel load(Path fasta, Path annotation, WindowGeometry geometry, GeneSelection.Options selection)
            throws IOException {
        List<Transcript> chosen = GeneSelection.select(AnnotationReader.read(annotation), selection).transcripts();
        if (chosen.isEmpty()) {
            throw new dev.scep.formats.text.InputFormatException(annotation, 0, "no gene to score: the annotation has no"
                    + " transcript that gene selection keeps (coding genes; non-coding ones with --keep-noncoding)");
        }
        WindowGeometry extended = new WindowGeometry(geometry.upstream() + FLANK, geometry.downstream() + FLANK);
        Gene[] out = new Gene[chosen.size()];
        // an indexed genome is read by several readers at once, each cutting a share of the genes
        int parts = GenomeSource.indexed(fasta) ? Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())) : 1;
        GenomeWindows.Report[] reports = new GenomeWindows.Report[parts];
        java.util.concurrent.ConcurrentLinkedQueue<Exception> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.stream.IntStream.range(0, parts).parallel().forEach(p -> {
            int from = (int) ((long) chosen.size() * p / parts);
            int to = (int) ((long) chosen.size() * (p + 1) / parts);
            try (GenomeSource genome = GenomeSource.open(fasta)) {
                reports[p] = GenomeWindows.cut(genome, annotation, chosen.subList(from, to), extended, (i, t, w) -> {
                    byte[] genomic = t.strand() == Strand.PLUS ? w.clone() : Sequences.reverseComplement(w);
                    long tss = t.tss();
                    long start = t.strand() == Strand.PLUS ? tss - extended.upstream() : tss - extended.downstream() + 1;
                    out[from + i] = new Gene(t, start, genomic, HalfLifeFeatures.of(t));
                });
            } catch (IOException | RuntimeException e) {
                failures.add(e);
            }
        });
        if (!failures.isEmpty()) {
            Exception e = failures.peek();
            if (e instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) e;
        }
        GenomeWindows.Report report = merge(reports);
        List<Gene> genes = new ArrayList<>();
        for (Gene g : out) {
            if (g != null) {
                genes.add(g);
            }
        }
        List<Path> sources = new ArrayList<>(GenomeSource.files(fasta));
        sources.add(annotation);
        return new GenePanel(List.copyOf(genes), geometry, report, List.copyOf(sources));
    }

    private static GenomeWindows.Report merge(GenomeWindows.Report[] reports) {
        if (reports.length == 1) {
            return reports[0];
        }
        Map<String, String> matches = new java.util.LinkedHashMap<>();
        Map<String, Integer> missing = new java.util.LinkedHashMap<>();
        int windows = 0;
        for (GenomeWindows.Report r : reports) {
            matches.putAll(r.contigMatches());
            r.missingContigs().forEach((k, v) -> missing.merge(k, v, Integer::sum));
            windows += r.windows();
        }
        return new GenomeWindows.Report(matches, missing, windows);
    }

    /**
     * The files the panel was read from: outputs must not replace them.
     *
     * @return the genome (with its index files) and the annotation
     */
    public List<Path> sources() {
        return sources;
    }

    /**
     * A gene by its id (with or without a version suffix such as {@code .5}) or its name.
     *
     * @param idOrName a gene id such as {@code ENSG00000206172} or a name such as {@code HBA1}
     * @return the gene; empty when the panel has none of that id or name (the first match by id wins over names)
     */
    public java.util.Optional<Gene> gene(String idOrName) {
        String bare = idOrName.replaceFirst("\\.\\d+$", "");
        java.util.Optional<Gene> byId = genes.stream().filter(g -> g.transcript().geneId().equals(idOrName)
                || g.transcript().geneId().replaceFirst("\\.\\d+$", "").equals(bare)).findFirst();
        return byId.isPresent() ? byId : genes.stream().filter(g -> idOrName.equals(g.transcript().geneName())).findFirst();
    }

    /**
     * Cuts the window around any genomic position, without an annotation: position {@code upstream} of the result is
     * the base at {@code tss} in transcription orientation (DESIGN §3); bases past the contig's ends are {@code N}.
     *
     * @param fasta    the genome (plain, gzip or bgzip; indexed when a {@code .fai} is beside it)
     * @param contig   the contig as the FASTA names it ({@code chr16} and {@code 16} both match)
     * @param tss      1-based genome position of the window's TSS base
     * @param strand   the strand of transcription
     * @param geometry bases upstream and downstream ({@link WindowGeometry#SCEP} for scEP and Xpresso)
     * @return the window, upper-case ASCII
     * @throws IOException when the genome cannot be read, or lacks the contig (the message names it)
     */
    public static byte[] window(Path fasta, String contig, long tss, Strand strand, WindowGeometry geometry) throws IOException {
        byte[] out = new byte[geometry.length()];
        try (GenomeSource genome = GenomeSource.open(fasta)) {
            java.util.List<String> names = genome.contigNames();
            String name = names.contains(contig) ? contig : GenomeWindows.toggleChr(contig);
            if (!names.contains(name)) {
                throw new InputFormatException(fasta, 0, "the genome has no contig '" + contig + "'");
            }
            genome.visit(java.util.Set.of(name), c -> TssWindows.cut(c, tss, strand, geometry, out));
        }
        return out;
    }

    /**
     * Every gene of the panel.
     *
     * @return the genes, in genomic order per contig
     */
    public List<Gene> genes() {
        return genes;
    }

    /**
     * The window around each TSS.
     *
     * @return bases upstream and downstream
     */
    public WindowGeometry geometry() {
        return geometry;
    }

    /**
     * How the annotation's contigs matched the genome's.
     *
     * @return the matches and the genes left out for a missing contig
     */
    public GenomeWindows.Report report() {
        return report;
    }

    /**
     * The contigs that have genes.
     *
     * @return the annotation's contig names (unmodifiable)
     */
    public java.util.Set<String> contigs() {
        return java.util.Collections.unmodifiableSet(byContig.keySet());
    }

    /**
     * The annotation's name for a VCF's contig: the same name, or the name with "chr" added or removed (the usual
     * disagreement between UCSC and Ensembl/1000 Genomes naming).
     *
     * @param vcfContig a contig as the VCF names it
     * @return the annotation's name, or null when the annotation has neither spelling
     */
    public String annotatedContig(String vcfContig) {
        if (byContig.containsKey(vcfContig)) {
            return vcfContig;
        }
        String other = GenomeWindows.toggleChr(vcfContig);
        return byContig.containsKey(other) ? other : null;
    }

    /**
     * The error for a VCF none of whose contigs ({@code vcfContigs}, sorted) is among the annotation's: the VCF is from
     * another genome build or region. Both variant jobs refuse it, rather than report every variant as outside the
     * windows or every person as the reference genome.
     *
     * @param vcf         the VCF
     * @param vcfContigs  its contigs, sorted
     * @param consequence what the job did not do, in words
     * @return the error to throw
     */
    public InputFormatException noContigAnnotated(Path vcf, java.util.Collection<String> vcfContigs, String consequence) {
        return new InputFormatException(vcf, 0, "none of the VCF's contigs " + head(vcfContigs) + " is among the annotation's "
                + head(new java.util.TreeSet<>(contigs())) + ": the VCF is from another genome build or region; " + consequence);
    }

    private static String head(java.util.Collection<String> names) {
        List<String> l = new ArrayList<>(names);
        return l.size() <= 5 ? l.toString() : l.subList(0, 5) + " and " + (l.size() - 5) + " more";
    }

    /**
     * The genes of one contig.
     *
     * @param contig the annotation's contig name
     * @return its genes in order of their windows' starts (and ends: all windows have one length)
     */
    public List<Gene> genesOn(String contig) {
        return List.copyOf(byContig.getOrDefault(contig, List.of()));
    }

    /**
     * Genes on {@code contig} whose window contains genomic position {@code pos} (1-based): the genes a single-base
     * REF allele acts on.
     *
     * @param contig the annotation's contig name
     * @param pos    1-based genome position
     * @return the genes, in order of their windows' starts
     */
    public List<Gene> genesAt(String contig, long pos) {
        return windowsStartingIn(contig, pos - geometry.length(), pos);
    }

    /**
     * Genes on {@code contig} whose window overlaps genomic {@code [first, last]} (1-based, inclusive): the genes a
     * REF allele of several bases acts on, such as a deletion that starts before a window and reaches into it.
     *
     * @param contig the annotation's contig name
     * @param first  1-based first position
     * @param last   1-based last position
     * @return the genes, in order of their windows' starts
     */
    public List<Gene> genesOverlapping(String contig, long first, long last) {
        return windowsStartingIn(contig, first - geometry.length(), last);
    }

    /** The genes whose window starts in {@code (after, upTo]}; every window has the same length. */
    private List<Gene> windowsStartingIn(String contig, long after, long upTo) {
        List<Gene> here = byContig.get(contig);
        if (here == null) {
            return List.of();
        }
        long[] starts = windowStarts.get(contig);
        int i = java.util.Arrays.binarySearch(starts, upTo + 1);
        int end = i >= 0 ? i : -i - 1;
        while (end > 0 && starts[end - 1] > upTo) {
            end--;          // binarySearch may land on any of equal keys
        }
        int begin = end;
        while (begin > 0 && starts[begin - 1] > after) {
            begin--;
        }
        return begin == end ? List.of() : List.copyOf(here.subList(begin, end));
    }

    /**
     * Where a gene's window lies.
     *
     * @param g a gene of this panel
     * @return its first and last genome positions, 1-based inclusive, plus strand
     */
    public long[] windowSpan(Gene g) {
        requireMember(g);
        long tss = g.tss();
        return g.plus() ? new long[]{tss - geometry.upstream(), tss + geometry.downstream() - 1}
                : new long[]{tss - geometry.downstream() + 1, tss + geometry.upstream()};
    }

    /**
     * A gene's reference window.
     *
     * @param g a gene of this panel
     * @return the window in transcription orientation (position {@code upstream} is the TSS), a new array
     */
    public byte[] window(Gene g) {
        requireMember(g);
        return cut(g, g.segmentBases(), (int) (g.tss() - g.segmentStart()));
    }

    /**
     * The window cut from a (possibly edited) genomic segment in which the TSS base is at index {@code tssIndex},
     * by the same {@link TssWindows#cut} that cuts every window from the genome.
     */
    byte[] cut(Gene g, byte[] segment, int tssIndex) {
        byte[] w = new byte[geometry.length()];
        try {
            TssWindows.cut(ContigSequence.of(g.transcript().contig(), segment), tssIndex + 1, g.transcript().strand(), geometry, w);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // an in-memory contig does no I/O
        }
        return w;
    }

    private void requireMember(Gene g) {
        if (!members.contains(g)) {
            throw new IllegalArgumentException(g + " is not a gene of this panel");
        }
    }
}
