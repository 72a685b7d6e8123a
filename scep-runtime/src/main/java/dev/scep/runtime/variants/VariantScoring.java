package dev.scep.runtime.variants;

import dev.scep.formats.model.ScepModel;
import dev.scep.formats.vcf.SortedVcf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Variant effects on expression: the library's front door for scoring a whole VCF, or single variants warm.
 *
 * <p>Coordinates follow VCF: 1-based positions on the plus strand, REF as in the genome. An allele acts on every gene
 * whose TSS window its REF overlaps; effects are per output, mutant − reference (log10 expression, z-score undone).
 *
 * <p>Thread-safe: {@link #scoreVcf} runs on its own threads; {@link #score} may be called from many threads (calls
 * are serialised over one warm scorer, which caches the reference activations of the last genes it scored; for
 * parallel single-variant scoring, open one instance per thread). A closed instance refuses to work.
 *
 * <pre>{@code
 * GenePanel genes = GenePanel.load(fasta, gtf, WindowGeometry.SCEP, GeneSelection.Options.DEFAULTS);
 * try (VariantScoring scoring = VariantScoring.open(model, genes, VariantScoring.Options.defaults())) {
 *     VariantScorer.Outcome o = scoring.score("chr16", 176_680, "C", "T");
 *     VariantScoring.Summary s = scoring.scoreVcf(Path.of("in.vcf.gz"), Path.of("scores.tsv"), (r, a) -> { });
 * }
 * }</pre>
 */
public final class VariantScoring implements AutoCloseable {
    /**
     * How to score.
     *
     * @param threads  scoring threads for {@link #scoreVcf}, at least 1 (default: all available processors)
     * @param halfLife the half-life features the model is given: from the annotation (default), or all at their
     *                 training mean ({@link VariantScorer.HalfLife#ZEROS}, as Kipoi runs Xpresso)
     * @param motifs   when not null, {@link #scoreVcf} adds to every row the motif whose best match the allele changes
     *                 most ({@link MotifScan}); null (the default) leaves the table as without motifs
     */
    public record Options(int threads, VariantScorer.HalfLife halfLife, MotifScan motifs) {
        /** Checks the values. */
        public Options {
            Objects.requireNonNull(halfLife, "halfLife");
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
        }

        /**
         * Options without motifs.
         *
         * @param threads  scoring threads, at least 1
         * @param halfLife the half-life mode
         */
        public Options(int threads, VariantScorer.HalfLife halfLife) {
            this(threads, halfLife, null);
        }

        /**
         * The defaults: every processor, half-life features from the annotation.
         *
         * @return the default options
         */
        public static Options defaults() {
            return new Options(Runtime.getRuntime().availableProcessors(), VariantScorer.HalfLife.ANNOTATION);
        }

        /**
         * These options with another thread count.
         *
         * @param t threads, at least 1
         * @return a copy with {@code threads = t}
         */
        public Options withThreads(int t) {
            return new Options(t, halfLife, motifs);
        }

        /**
         * These options with another half-life mode.
         *
         * @param h the mode
         * @return a copy with {@code halfLife = h}
         */
        public Options withHalfLife(VariantScorer.HalfLife h) {
            return new Options(threads, h, motifs);
        }

        /**
         * These options with motifs to scan (or none).
         *
         * @param m the motifs, or null for none
         * @return a copy with {@code motifs = m}
         */
        public Options withMotifs(MotifScan m) {
            return new Options(threads, halfLife, m);
        }
    }

    /**
     * Counts for a scored VCF, each allele counted once: on a contig the annotation lacks or outside every window
     * ({@code outsideWindows}); else symbolic; ambiguous (an IUPAC code in ALT: not scored); a REF mismatch; skipped
     * for a reason; or scored as an SNV, an MNP or an indel.
     *
     * @param records             VCF records read
     * @param alleles             ALT alleles read (multi-allelic records split)
     * @param scoredSnvs          SNV alleles scored
     * @param scoredMnps          MNP alleles scored
     * @param scoredIndels        indel alleles scored
     * @param effects             rows written (allele × gene)
     * @param outsideWindows      alleles in no gene's window
     * @param refMismatches       alleles whose REF is not the genome's
     * @param mismatchExamples    the first few REF disagreements, as text
     * @param symbolic            symbolic alleles skipped
     * @param ambiguous           ALT alleles with an IUPAC ambiguity code, not scored
     * @param skipped             other skipped alleles by reason
     * @param contigsNotAnnotated VCF contigs with no annotated gene
     * @param nanos               wall time
     */
    public record Summary(long records, long alleles, long scoredSnvs, long scoredMnps, long scoredIndels, long effects,
                          long outsideWindows, long refMismatches, List<String> mismatchExamples, long symbolic, long ambiguous,
                          Map<String, Long> skipped, Set<String> contigsNotAnnotated, long nanos) implements java.io.Serializable {
        /** Copies the collections. */
        public Summary {
            mismatchExamples = List.copyOf(mismatchExamples);
            skipped = Map.copyOf(skipped);
            contigsNotAnnotated = Set.copyOf(contigsNotAnnotated);
        }

        /**
         * The counts of two parts of one job together (shards of {@link #scoreRegions}): sums, the first five
         * mismatch examples, the union of contigs, the longer wall time.
         *
         * @param o the other part
         * @return the sum
         */
        public Summary plus(Summary o) {
            List<String> examples = new java.util.ArrayList<>(mismatchExamples);
            o.mismatchExamples.stream().limit(Math.max(0, 5 - examples.size())).forEach(examples::add);
            Map<String, Long> reasons = new java.util.TreeMap<>(skipped);
            o.skipped.forEach((k, v) -> reasons.merge(k, v, Long::sum));
            Set<String> contigs = new java.util.TreeSet<>(contigsNotAnnotated);
            contigs.addAll(o.contigsNotAnnotated);
            return new Summary(records + o.records, alleles + o.alleles, scoredSnvs + o.scoredSnvs, scoredMnps + o.scoredMnps,
                    scoredIndels + o.scoredIndels, effects + o.effects, outsideWindows + o.outsideWindows,
                    refMismatches + o.refMismatches, examples, symbolic + o.symbolic, ambiguous + o.ambiguous, reasons, contigs,
                    Math.max(nanos, o.nanos));
        }

        /**
         * Fails when REF alleles disagree with the genome so often ({@link VariantScorer#probablyAnotherBuild}) that the
         * VCF is probably from another genome build: then no table may be written.
         *
         * @param vcf the VCF these counts are of, for the message
         * @throws dev.scep.formats.text.InputFormatException naming the file, the counts and examples
         */
        public void requireSameBuild(Path vcf) throws dev.scep.formats.text.InputFormatException {
            VariantScorer.requireSameBuild(vcf, refMismatches, refMismatches + scoredSnvs + scoredMnps + scoredIndels,
                    mismatchExamples, "alleles", "nothing was scored");
        }
    }

    /** Told now and then, from the reading thread, how far {@link #scoreVcf} has read. */
    @FunctionalInterface
    public interface Progress {
        /**
         * Progress so far.
         *
         * @param records records read
         * @param alleles alleles read
         */
        void update(long records, long alleles);
    }

    private final ScepModel model;
    private final GenePanel panel;
    private final Options options;
    private final VariantScorer warm;   // for score(): created on first use
    private volatile boolean closed;

    private VariantScoring(ScepModel model, GenePanel panel, Options options) {
        this.model = Objects.requireNonNull(model, "model");
        this.panel = Objects.requireNonNull(panel, "panel");
        this.options = Objects.requireNonNull(options, "options");
        VariantScorer.checkCompatible(model, panel, options.halfLife());
        this.warm = new VariantScorer(model, panel, options.halfLife());
    }

    /**
     * Prepares scoring with {@code model} on the genes of {@code panel}.
     *
     * @param model   the model
     * @param panel   the genes and the genome around their windows ({@link GenePanel#load})
     * @param options threads and half-life mode
     * @return a new instance; close it when done
     * @throws IllegalArgumentException when the model cannot score this panel in this mode (window geometry, or a
     *                                  model that does not take the annotation's five half-life features)
     */
    public static VariantScoring open(ScepModel model, GenePanel panel, Options options) {
        return new VariantScoring(model, panel, options);
    }

    /**
     * Scores one allele on every gene whose window its REF overlaps, reusing cached reference activations (a warm
     * SNV costs about a millisecond or less).
     *
     * @param contig the annotation's or the VCF's contig name ({@code chr16} and {@code 16} both match)
     * @param pos    1-based position of REF's first base
     * @param ref    the reference allele (checked against the genome)
     * @param alt    the alternative allele
     * @return what happened: {@link VariantScorer.Scored} with one effect per gene, or why it was not scored
     */
    public VariantScorer.Outcome score(String contig, long pos, String ref, String alt) {
        ensureOpen();
        String annotated = panel.annotatedContig(contig);
        synchronized (warm) {
            return warm.score(annotated != null ? annotated : contig, pos, ref, alt);
        }
    }

    /**
     * Scores every allele of a sorted VCF/BCF (plain or bgzip) and writes the table (columns: {@code variant, contig,
     * position, ref, alt, gene_id, gene_name, strand, offset} (from the TSS, transcription orientation), {@code kind,
     * rank_in_gene} and one column per output; with {@link Options#motifs()} also {@code motif_id, motif_name,
     * motif_ref_score, motif_alt_score, motif_change, motif_effect, motif_strand, motif_offset}: the motif whose best
     * log-odds match (bits, three decimals) changes most from REF to ALT, {@code gained}, {@code lost} or
     * {@code none}, and the strand and offset from {@code position} of the better allele's best match
     * ({@link MotifScan.Change#best()}); {@code .} in each when no motif fits), atomically: {@code out} appears
     * complete, or not at all.
     *
     * @param vcf      the variants (sorted; checked while read)
     * @param out      the table to write; refused if it is one of the inputs
     * @param progress told now and then how far reading has got, or null
     * @return the counts
     * @throws IOException for unreadable input or an unwritable output; bad records are
     *                     {@link dev.scep.formats.text.InputFormatException}s naming the file and record
     */
    public Summary scoreVcf(Path vcf, Path out, Progress progress) throws IOException {
        return scoreVcf(vcf, out, OutputFormat.of(out), List.of(), progress);
    }

    /** How {@link #scoreVcf} writes its results. */
    public enum OutputFormat {
        /** The table, one row per allele and gene. */
        TSV,
        /**
         * The input VCF with the effects as INFO ({@code SCEP}, one value per allele and gene:
         * {@code Allele|Gene|Symbol|Strand|Offset|Kind|Rank|<output>...}, the format in the header, as VEP's
         * {@code CSQ}); BGZF with a tabix index ({@code .tbi}) when the name ends in {@code .gz}.
         */
        VCF,
        /**
         * The table as one Apache Parquet file ({@link dev.scep.formats.io.ParquetTableWriter}): the same columns,
         * typed as scep-spark's Parquet output types them ({@link #columnType}), the provenance in the footer's
         * key-value metadata ({@code scep.version}, {@code scep.model}, {@code scep.model_sha256},
         * {@code scep.command}, {@code scep.provenance}).
         */
        PARQUET;

        /**
         * The format a file name asks for: VCF for {@code .vcf}, {@code .vcf.gz} and {@code .vcf.bgz}, Parquet for
         * {@code .parquet}, else TSV.
         *
         * @param out the output
         * @return its format
         */
        public static OutputFormat of(Path out) {
            String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            if (name.endsWith(".parquet")) {
                return PARQUET;
            }
            return name.endsWith(".vcf") || name.endsWith(".vcf.gz") || name.endsWith(".vcf.bgz") ? VCF : TSV;
        }
    }

    /**
     * A column's type in the scores' Parquet form: {@code position} a 64-bit integer, {@code offset} and
     * {@code rank_in_gene} 32-bit integers, the model's outputs floats, every other column (the motif columns
     * included, {@code .} where no motif fits) text.
     *
     * @param column  a column of the table
     * @param outputs the model's output names
     * @return its type
     */
    public static dev.scep.formats.io.ParquetTableWriter.Type columnType(String column, List<String> outputs) {
        return switch (column) {
            case "position" -> dev.scep.formats.io.ParquetTableWriter.Type.INT64;
            case "offset", "rank_in_gene" -> dev.scep.formats.io.ParquetTableWriter.Type.INT32;
            default -> outputs.contains(column) ? dev.scep.formats.io.ParquetTableWriter.Type.FLOAT
                    : dev.scep.formats.io.ParquetTableWriter.Type.STRING;
        };
    }

    /**
     * As {@link #scoreVcf(Path, Path, Progress)}, in a chosen format.
     *
     * @param vcf        the variants (sorted; checked while read)
     * @param out        the output; refused if it is one of the inputs
     * @param format     the table, the annotated VCF, or the table as Parquet
     * @param provenance {@code key=value} lines (the model, its fingerprint, the command line): for the VCF header
     *                   lines {@code ##scep_key=value}, for Parquet footer metadata {@code scep.key}; ignored for the
     *                   table, whose provenance is {@link dev.scep.formats.io.Provenance}'s
     * @param progress   told now and then how far reading has got, or null
     * @return the counts
     * @throws IOException as {@link #scoreVcf(Path, Path, Progress)}
     */
    public Summary scoreVcf(Path vcf, Path out, OutputFormat format, List<String> provenance, Progress progress)
            throws IOException {
        ensureOpen();
        for (String line : provenance) {
            if (line.indexOf('=') < 1 || line.contains("\n")) {
                throw new IllegalArgumentException("a provenance line is one 'key=value' line, not '" + line + "'");
            }
        }
        Progress told = progress != null ? progress : (records, alleles) -> { };
        if (format == OutputFormat.TSV) {
            return VariantScoringJob.run(() -> new VariantScorer(model, panel, options.halfLife()), true, options.threads(),
                    panel, model.outputNames(), options.motifs(), vcf, null, out, told);
        }
        if (format == OutputFormat.PARQUET && dev.scep.formats.io.OutputFile.bgzf(out)) {
            throw new IllegalArgumentException(out + ": a Parquet file compresses its own pages; name it .parquet, not .gz");
        }
        Path table = dev.scep.formats.io.TemporaryFiles.beside(out.toString().equals(dev.scep.formats.io.OutputFile.STDOUT)
                ? Path.of(System.getProperty("java.io.tmpdir"), "scep-scores") : out, ".table.tsv");
        try {
            Summary s = VariantScoringJob.run(() -> new VariantScorer(model, panel, options.halfLife()), true, options.threads(),
                    panel, model.outputNames(), options.motifs(), vcf, null, table, told);
            List<Path> inputs = new java.util.ArrayList<>(panel.sources());
            inputs.add(vcf);
            if (format == OutputFormat.VCF) {
                VcfAnnotation.write(vcf, table, out, model.outputNames(), provenance, inputs);
            } else {
                writeParquet(table, out, provenance, inputs);
            }
            return s;
        } finally {
            dev.scep.formats.io.TemporaryFiles.delete(table);
        }
    }

    private void writeParquet(Path table, Path out, List<String> provenance, List<Path> inputs) throws IOException {
        Map<String, String> metadata = new java.util.LinkedHashMap<>();
        for (String line : provenance) {
            int eq = line.indexOf('=');
            metadata.put("scep." + line.substring(0, eq), line.substring(eq + 1));
        }
        List<String> outputs = model.outputNames();
        try (dev.scep.formats.io.OutputFile file = dev.scep.formats.io.OutputFile.create(out, inputs)) {
            dev.scep.formats.io.ParquetTableWriter.fromTsv(table, dev.scep.formats.io.OutputFile.keptOpen(file.stream()),
                    column -> columnType(column, outputs), metadata);
            file.commit();
        }
    }

    /**
     * As {@link #scoreVcf}, for one shard of a job split by region ({@link VariantShards}): only the records that
     * start in {@code regions} are read, through the VCF's index. The shards' tables, concatenated in shard order
     * with one header, are {@link #scoreVcf}'s table for the whole file, row for row, when the shards are those of
     * {@link VariantShards#plan} (each gene's variants, and so its ranks, fall in one shard). The genome-build check
     * ({@link VariantScorer#probablyAnotherBuild}) is left to the caller, over the sum of the shards' summaries.
     *
     * @param vcf      the variants: a sorted bgzip VCF with a tabix index
     * @param regions  the shard's regions, in file order, in the VCF's contig names
     * @param out      the shard's table; refused if it is one of the inputs
     * @param progress told now and then how far reading has got, or null
     * @return the shard's counts (records and alleles are those that start in the regions)
     * @throws IOException as {@link #scoreVcf}, and an {@link dev.scep.formats.text.InputFormatException} for a VCF
     *                     without an index
     */
    public Summary scoreRegions(Path vcf, List<SortedVcf.Region> regions, Path out, Progress progress) throws IOException {
        ensureOpen();
        Objects.requireNonNull(regions, "regions");
        return VariantScoringJob.run(() -> new VariantScorer(model, panel, options.halfLife()), true, options.threads(),
                panel, model.outputNames(), options.motifs(), vcf, regions, out, progress != null ? progress : (records, alleles) -> { });
    }

    /**
     * The model's output names, in the order of every {@link VariantScorer.Effect#delta()}.
     *
     * @return the output names
     */
    public List<String> outputNames() {
        return model.outputNames();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this variant scoring has been closed");
        }
    }

    /** Releases the warm scorer; later calls throw {@link IllegalStateException}. */
    @Override
    public void close() {
        closed = true;
        synchronized (warm) {
            warm.close();
        }
    }
}
