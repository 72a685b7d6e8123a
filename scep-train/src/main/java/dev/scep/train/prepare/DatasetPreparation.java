package dev.scep.train.prepare;

import dev.scep.formats.annotation.AnnotationReader;
import dev.scep.formats.annotation.GeneSelection;
import dev.scep.formats.annotation.HalfLifeFeatures;
import dev.scep.formats.annotation.Transcript;
import dev.scep.formats.expression.CellTable;
import dev.scep.formats.expression.ExpressionMatrix;
import dev.scep.formats.genome.GenomeSource;
import dev.scep.formats.genome.GenomeWindows;
import dev.scep.formats.genome.WindowGeometry;
import dev.scep.formats.io.ScepDataset;
import dev.scep.formats.io.ScepDatasetWriter;
import dev.scep.formats.io.OutputFile;
import dev.scep.formats.text.InputFormatException;
import dev.scep.formats.text.TsvField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Genome + annotation (+ expression) → a {@code .sced} training set (DESIGN §3), and optionally the text forms that
 * {@code scep predict} reads: a FASTA of windows and a TSV of raw half-life features. The genome is streamed contig by
 * contig and windows go straight to the dataset writer's 2-bit spool, so memory does not grow with the genome.
 *
 * <p>Windows follow DESIGN §3: {@code upstream + downstream} bases in transcription orientation, the TSS at 0-based
 * position {@code upstream}, parts beyond a contig's ends filled with {@code N}. Half-life features are the five raw
 * values (lengths in bases, exon-junction density per 1,000 coding bases); the dataset z-scores nothing: targets are
 * log10 pseudobulk expression, z-scored only when a model trains. Stateless: separate runs may go on in parallel as
 * long as they write different files.
 */
public final class DatasetPreparation {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetPreparation.class);

    /**
     * Where the expression comes from and how to group it; see {@link Pseudobulk}.
     *
     * @param matrix       the expression matrix: a 10x directory, a Matrix Market file, an {@code .h5ad} file or a
     *                     dense CSV/TSV table with genes in rows; counts or normalised values, not logged
     * @param geneList     the gene list of a Matrix Market file, or null to look beside it
     * @param cellList     the cell-id list of a Matrix Market file, or null to look beside it (or to take the cell
     *                     table's rows in order)
     * @param cells        the cell annotation table (TSV, or CSV by its name), or null for the matrix's own
     *                     ({@code .h5ad} {@code obs})
     * @param cellIdColumn the cell table's id column, or null for its first column
     * @param levels       the resolutions to aggregate at (may be empty when {@code includeAll})
     * @param includeAll   also aggregate all annotated cells as one population, named {@code all} (the tissue level)
     * @param bulk         the columns are bulk samples (unexpressed → −3) rather than single cells (−4)
     * @param choice       which matrix of an AnnData or loom file, and its gene-symbol column
     */
    public record Expression(Path matrix, Path geneList, Path cellList, Path cells, String cellIdColumn,
                             List<PopulationLevel> levels, boolean includeAll, boolean bulk, ExpressionMatrix.Choice choice) {
        /** Checks the choice. */
        public Expression {
            java.util.Objects.requireNonNull(choice, "choice");
        }

        /**
         * The main matrix of the file, its usual symbol columns ({@link ExpressionMatrix.Choice#DEFAULT}).
         *
         * @param matrix       the expression matrix
         * @param geneList     the gene list of a Matrix Market file, or null
         * @param cellList     the cell-id list of a Matrix Market file, or null
         * @param cells        the cell annotation table, or null for the matrix's own
         * @param cellIdColumn the cell table's id column, or null for its first column
         * @param levels       the resolutions to aggregate at
         * @param includeAll   also aggregate all annotated cells as {@code all}
         * @param bulk         the columns are bulk samples
         */
        public Expression(Path matrix, Path geneList, Path cellList, Path cells, String cellIdColumn,
                          List<PopulationLevel> levels, boolean includeAll, boolean bulk) {
            this(matrix, geneList, cellList, cells, cellIdColumn, levels, includeAll, bulk, ExpressionMatrix.Choice.DEFAULT);
        }

        /**
         * Reads the matrix and the cell table and aggregates the pseudobulk; the matrix is streamed once.
         *
         * @return the targets of every matrix gene
         * @throws InputFormatException     naming the file when the matrix or the cell table is malformed, no cell
         *                                  annotation is there, no matrix cell is annotated, a population name would
         *                                  break a table, or a sum overflows
         * @throws IllegalArgumentException when no population is asked for, a gene or cell list is given for anything
         *                                  but a Matrix Market file, or the table would be too large
         * @throws java.nio.file.NoSuchFileException when the matrix does not exist
         * @throws IOException              when a file cannot be read
         */
        public Pseudobulk.Table pseudobulk() throws IOException {
            return pseudobulk(LOG::warn);
        }

        /**
         * As {@link #pseudobulk()}, telling {@code notes} what a user should know about the values read (e.g. an
         * AnnData matrix that looks log-transformed: {@link ExpressionMatrix#notes()}).
         *
         * @param notes receives one line per note
         * @return the targets of every matrix gene
         * @throws IOException as {@link #pseudobulk()}
         */
        public Pseudobulk.Table pseudobulk(java.util.function.Consumer<String> notes) throws IOException {
            ExpressionMatrix m = ExpressionMatrix.open(matrix, geneList, cellList, choice);
            CellTable table = cells == null ? null : CellTable.read(cells, cellIdColumn);
            Pseudobulk.Table t = Pseudobulk.compute(m, table, levels, includeAll, bulk);
            m.notes().forEach(notes);
            return t;
        }
    }

    /**
     * What to prepare. Each output is optional (null for none); none may be one of the inputs.
     *
     * @param fasta       the genome FASTA: plain, gzip or bgzip; read through its {@code .fai} (and {@code .gzi}) index
     *                    when a usable one lies beside it, streamed otherwise
     * @param annotation  the GTF or GFF3 annotation: plain, gzip or bgzip
     * @param geometry    the window: bases upstream and downstream of the TSS
     * @param selection   which transcript stands for each gene, and which genes are dropped (DESIGN §3)
     * @param expression  the expression to aggregate into targets, or null for a dataset without targets
     * @param out         the {@code .sced} dataset to write, or null
     * @param windowsOut  a FASTA of the windows to write (80 bases a line, headers as {@code scep predict} reads them),
     *                    or null
     * @param halfLifeOut a TSV of the raw half-life features to write ({@code id} then one column per feature), or null
     */
    public record Options(Path fasta, Path annotation, WindowGeometry geometry, GeneSelection.Options selection,
                          Expression expression, Path out, Path windowsOut, Path halfLifeOut) {
        /** Every file the preparation reads: no output may replace one of them. */
        Path[] inputs() {
            List<Path> in = new ArrayList<>(GenomeSource.files(fasta));
            in.add(annotation);
            if (expression != null) {
                in.addAll(java.util.Arrays.asList(expression.matrix(), expression.geneList(), expression.cellList(),
                        expression.cells()));
            }
            return in.toArray(Path[]::new);
        }
    }

    /**
     * What happened, for the command line's summary and for callers that want to check it.
     *
     * @param transcripts    transcripts read from the annotation
     * @param selection      the transcripts chosen (one per gene) and, per reason, the genes dropped
     * @param matches        per way of matching, the selected genes matched to a matrix row that way; empty without
     *                       expression
     * @param unmatchedGenes ids of selected genes with no matrix row, left out
     * @param windows        the window cut: which annotation contigs were found in the FASTA, and the genes on
     *                       contigs it lacks (left out)
     * @param pseudobulk     the targets of every matrix gene, or null without expression
     * @param genesWritten   genes in the outputs: selected, matched (with expression) and on a contig of the FASTA
     * @param fingerprint    the dataset's fingerprint (32 hexadecimal digits), or null when no dataset was written
     */
    public record Report(int transcripts, GeneSelection.Result selection, Map<GeneMatcher.How, Integer> matches,
                         List<String> unmatchedGenes, GenomeWindows.Report windows, Pseudobulk.Table pseudobulk,
                         int genesWritten, String fingerprint) {
    }

    /** Progress callbacks; all optional, called on the thread that runs {@link #run}. */
    public interface Listener {
        /**
         * Something the user should know about the inputs (e.g. a matrix that looks log-transformed).
         *
         * @param message one line
         */
        default void note(String message) {
            LOG.warn(message);
        }

        /**
         * A stage begins.
         *
         * @param description what it does, in words ("reading annotation genes.gtf", "cutting 20,467 windows from …")
         */
        default void stage(String description) {
        }

        /**
         * Windows were cut: called every 256 windows, and when {@code done} reaches {@code total}.
         *
         * @param done  windows cut so far
         * @param total windows to cut (the selected, matched genes)
         */
        default void windows(int done, int total) {
        }
    }

    private DatasetPreparation() {
    }

    /**
     * Prepares: reads and selects the annotation, aggregates the expression and matches its genes, cuts every window
     * and writes the outputs asked for. Regular outputs are written to a temporary file and renamed into place, so a
     * failed run leaves an existing file as it was.
     *
     * @param o        what to prepare
     * @param listener told about stages and windows
     * @return what happened
     * @throws InputFormatException     naming the file when no gene is left after selection, no annotated gene matches
     *                                  a matrix gene, a window holds a character that is not a nucleotide, or an input
     *                                  is malformed
     * @throws IllegalArgumentException as {@link Expression#pseudobulk()} throws it, or when a gene id would break
     *                                  the half-life table
     * @throws dev.scep.formats.io.OutputIsInputException when an output is one of the inputs
     * @throws IOException              when a file cannot be read or written
     */
    public static Report run(Options o, Listener listener) throws IOException {
        listener.stage("reading annotation " + o.annotation());
        List<Transcript> all = AnnotationReader.read(o.annotation());
        GeneSelection.Result selection = GeneSelection.select(all, o.selection());
        if (selection.transcripts().isEmpty()) {
            throw new InputFormatException(o.annotation(), 0, "no gene is left after selection (" + all.size()
                    + " transcripts; dropped: " + summary(selection.dropped()) + ")");
        }
        List<Transcript> genes = selection.transcripts();

        Pseudobulk.Table pb = null;
        Map<GeneMatcher.How, Integer> matches = new EnumMap<>(GeneMatcher.How.class);
        List<String> unmatched = new ArrayList<>();
        int[] matrixRow = null;
        if (o.expression() != null) {
            listener.stage("aggregating expression " + o.expression().matrix());
            pb = o.expression().pseudobulk(listener::note);
            GeneMatcher matcher = new GeneMatcher(pb.geneIds(), pb.geneNames());
            List<Transcript> kept = new ArrayList<>();
            List<Integer> rows = new ArrayList<>();
            for (Transcript t : genes) {
                GeneMatcher.Match m = matcher.match(t.geneId(), t.geneName());
                matches.merge(m.how(), 1, Integer::sum);
                if (m.row() >= 0) {
                    kept.add(t);
                    rows.add(m.row());
                } else {
                    unmatched.add(t.geneId());
                }
            }
            if (kept.isEmpty()) {
                throw new InputFormatException(o.expression().matrix(), 0, "none of the " + genes.size()
                        + " annotated genes (e.g. " + genes.getFirst().geneId() + ") matches a gene of the matrix (e.g. "
                        + pb.geneIds().getFirst() + ") by id, id without version or symbol");
            }
            if (!unmatched.isEmpty()) {
                LOG.warn("{} of {} genes have no row in {} and are left out (e.g. {})", unmatched.size(), genes.size(),
                        o.expression().matrix(), unmatched.subList(0, Math.min(5, unmatched.size())));
            }
            genes = kept;
            matrixRow = rows.stream().mapToInt(Integer::intValue).toArray();
        }

        List<ScepDataset.Gene> records = new ArrayList<>(genes.size());
        double[] halfLife = new double[genes.size() * HalfLifeFeatures.NAMES.size()];
        for (int i = 0; i < genes.size(); i++) {
            Transcript t = genes.get(i);
            records.add(new ScepDataset.Gene(t.geneId(), t.geneName(), t.id(), t.contig(), t.tss(), t.strand()));
            System.arraycopy(HalfLifeFeatures.of(t), 0, halfLife, i * HalfLifeFeatures.NAMES.size(), HalfLifeFeatures.NAMES.size());
        }

        int total = genes.size();
        listener.stage("cutting " + total + " windows from " + o.fasta());
        Path[] inputs = o.inputs();
        try (ScepDatasetWriter writer = o.out() == null ? null : new ScepDatasetWriter(o.out(), o.geometry(), records, inputs);
             OutputFile fasta = o.windowsOut() == null ? null : OutputFile.create(o.windowsOut(), inputs);
             GenomeSource genome = GenomeSource.open(o.fasta())) {
            if (writer != null) {
                writer.halfLife(HalfLifeFeatures.NAMES, halfLife);
                if (pb != null) {
                    int nPops = pb.populations().size();
                    float[] targets = new float[total * nPops];
                    float[] byMatrixRow = pb.targets();
                    for (int i = 0; i < total; i++) {
                        System.arraycopy(byMatrixRow, matrixRow[i] * nPops, targets, i * nPops, nPops);
                    }
                    writer.targets(pb.populations(), targets);
                }
            }
            boolean[] cut = new boolean[total];
            int[] done = {0};
            List<Transcript> finalGenes = genes;
            GenomeWindows.Report windows = GenomeWindows.cut(genome, o.annotation(), genes, o.geometry(), (index, t, window) -> {
                if (writer != null) {
                    try {
                        writer.window(index, window);
                    } catch (IllegalArgumentException e) {
                        throw new InputFormatException(o.fasta(), 0, "window of " + t.geneId() + " (" + t + "): "
                                + e.getMessage() + "; the FASTA holds a character that is not a nucleotide");
                    }
                }
                if (fasta != null) {
                    writeFastaRecord(fasta.writer(), t, window);
                }
                cut[index] = true;
                if (++done[0] % 256 == 0 || done[0] == total) {
                    listener.windows(done[0], total);
                }
            });
            if (windows.skipped() > 0) {
                LOG.warn("{} genes lie on contigs missing from {} and are left out: {}", windows.skipped(), o.fasta(),
                        windows.missingContigs());
            }
            int[] kept = writer != null ? writer.dropUnwritten()
                    : java.util.stream.IntStream.range(0, total).filter(i -> cut[i]).toArray();
            if (o.halfLifeOut() != null) {
                writeHalfLifeTable(o.halfLifeOut(), finalGenes, kept, halfLife, inputs);
            }
            String fingerprint = null;
            if (writer != null) {
                listener.stage("writing " + o.out());
                fingerprint = writer.finish(metadata(o));
            }
            if (fasta != null) {
                fasta.commit();
            }
            return new Report(all.size(), selection, matches, unmatched, windows, pb, kept.length, fingerprint);
        }
    }

    private static void writeFastaRecord(Writer w, Transcript t, byte[] window) throws IOException {
        w.write('>' + new dev.scep.formats.genome.WindowHeader(t.geneId(), t.id(), t.contig(), t.tss(), t.strand()).format() + "\n");
        for (int i = 0; i < window.length; i += 80) {
            w.write(new String(window, i, Math.min(80, window.length - i), java.nio.charset.StandardCharsets.US_ASCII));
            w.write('\n');
        }
    }

    private static void writeHalfLifeTable(Path out, List<Transcript> genes, int[] kept, double[] halfLife, Path[] inputs)
            throws IOException {
        int f = HalfLifeFeatures.NAMES.size();
        try (OutputFile file = OutputFile.createTable(out, inputs)) {
            Writer w = file.writer();
            w.write("id\t" + String.join("\t", HalfLifeFeatures.NAMES) + "\n");
            for (int i : kept) {
                w.write(TsvField.check("gene id", genes.get(i).geneId()));
                for (int k = 0; k < f; k++) {
                    double v = halfLife[i * f + k];
                    w.write('\t');
                    w.write(v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v));
                }
                w.write('\n');
            }
            file.commit();
        }
    }

    private static Map<String, String> metadata(Options o) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("created_by", "scep " + dev.scep.formats.ScepVersion.get());
        m.put("fasta", o.fasta().toAbsolutePath().normalize().toString());
        m.put("annotation", o.annotation().toAbsolutePath().normalize().toString());
        m.put("upstream", Integer.toString(o.geometry().upstream()));
        m.put("downstream", Integer.toString(o.geometry().downstream()));
        m.put("canonical_tag", String.valueOf(o.selection().canonicalTag()));
        m.put("keep_noncoding", Boolean.toString(o.selection().keepNoncoding()));
        if (o.expression() != null) {
            Expression e = o.expression();
            m.put("expression", e.matrix().toAbsolutePath().normalize().toString());
            if (e.cells() != null) {
                m.put("cells", e.cells().toAbsolutePath().normalize().toString());
            }
            m.put("levels", String.join(";", e.levels().stream().map(PopulationLevel::name).toList()));
            m.put("bulk", Boolean.toString(e.bulk()));
        }
        return m;
    }

    static String summary(Map<String, List<String>> dropped) {
        StringBuilder sb = new StringBuilder();
        dropped.forEach((reason, genes) -> sb.append(sb.isEmpty() ? "" : ", ").append(genes.size()).append(' ').append(reason));
        return sb.isEmpty() ? "none" : sb.toString();
    }
}
