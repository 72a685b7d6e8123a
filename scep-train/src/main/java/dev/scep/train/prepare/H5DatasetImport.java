package dev.scep.train.prepare;

import dev.scep.formats.genome.WindowGeometry;
import dev.scep.formats.io.OutputFile;
import dev.scep.formats.io.ScepDataset;
import dev.scep.formats.io.ScepDatasetWriter;
import dev.scep.formats.model.HalfLifeTransform;
import dev.scep.formats.scep.OriginalLabels;
import dev.scep.formats.scep.OriginalScepDataset;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The original scEP pipeline's dataset ({@code *_seq_hl.h5}, and optionally a label CSV) → a {@code .sced} training
 * set and/or the text forms {@code scep predict} reads (DESIGN §9). Each row of the HDF5 file becomes a gene, in row
 * order: its window cut from {@code promoter} around the TSS index, its half-life inputs from {@code data} stored as
 * given ({@link HalfLifeTransform#IDENTITY}: the original fed them to its network already transformed and z-scored, so
 * a model imported from the original gets them unchanged), its targets from the label columns picked (log10, as given).
 * The promoter array is streamed a block of rows at a time; the windows go to the dataset writer's 2-bit spool.
 *
 * <p>The rows have no genome coordinates: each gene is recorded on a contig named {@code row<i>} (its row), plus
 * strand, with the TSS at 1-based position {@code tssIndex + 1} of that row. Stateless: separate imports may run in
 * parallel as long as they write different files.
 */
public final class H5DatasetImport {
    /** The half-life input names written (the example's {@code halflife.tsv} header): {@code hl0}, {@code hl1}, ... */
    public static final String HALF_LIFE_PREFIX = "hl";

    private H5DatasetImport() {
    }

    /**
     * What to import. Each output is optional (null for none); none may be one of the inputs.
     *
     * @param h5          the original's HDF5 dataset file
     * @param labels      the original's label CSV (first column the gene, then {@code All} and populations), or null
     *                    for a dataset without targets
     * @param columns     0-based value columns of {@code labels} to take as populations (0 = the column after the gene
     *                    index), or null for all; ignored without labels
     * @param tssIndex    the TSS's 0-based index along a {@code promoter} row (70,000 in the original files)
     * @param geometry    the window: bases upstream and downstream of the TSS (7,000 and 3,500 in the original)
     * @param out         the {@code .sced} dataset to write, or null
     * @param windowsOut  a FASTA of the windows to write ({@code >GENE}, 80 bases a line), or null
     * @param halfLifeOut a TSV of the half-life inputs to write ({@code id}, then {@code hl0}, {@code hl1}, ...), or null
     */
    public record Options(Path h5, Path labels, int[] columns, int tssIndex, WindowGeometry geometry, Path out,
                          Path windowsOut, Path halfLifeOut) {
        /** Compact constructor: copies the column list. */
        public Options {
            columns = columns == null ? null : columns.clone();
        }

        /**
         * The columns picked.
         *
         * @return a copy, or null for all columns
         */
        @Override
        public int[] columns() {
            return columns == null ? null : columns.clone();
        }

        Path[] inputs() {
            return labels == null ? new Path[]{h5} : new Path[]{h5, labels};
        }
    }

    /**
     * What was imported.
     *
     * @param genes       genes (rows) written
     * @param emptyRows   rows whose window is all {@code N} (no hot channel in it)
     * @param halfLife    half-life inputs per gene
     * @param populations the populations taken from the labels (empty without labels)
     * @param fingerprint the dataset's fingerprint (32 hexadecimal digits), or null when no dataset was written
     */
    public record Report(int genes, int emptyRows, int halfLife, List<String> populations, String fingerprint) {
        /** Compact constructor: copies the population list. */
        public Report {
            populations = List.copyOf(populations);
        }
    }

    /** Progress callbacks; optional, called on the thread that runs {@link #run}. */
    public interface Listener {
        /**
         * Windows were cut: every 256 windows, and when {@code done} reaches {@code total}.
         *
         * @param done  windows cut so far
         * @param total windows to cut (the rows of the file)
         */
        default void windows(int done, int total) {
        }
    }

    /**
     * Imports: reads the gene names, half-life inputs and labels, checks they agree, streams the windows and writes
     * the outputs asked for. Each output is written to a temporary file and renamed into place, so a failed run leaves
     * an existing file as it was.
     *
     * @param o        what to import
     * @param listener told about windows
     * @return what was imported
     * @throws dev.scep.formats.text.InputFormatException naming the file and dataset or line when the HDF5 datasets or
     *                                  the label table are missing, malformed or disagree in their row counts or
     *                                  genes, or a promoter position has more than one hot channel
     * @throws IllegalArgumentException when nothing is to be written or the TSS index lies outside the promoter rows
     * @throws dev.scep.formats.io.OutputIsInputException when an output is one of the inputs
     * @throws IOException              when a file cannot be read or written
     */
    public static Report run(Options o, Listener listener) throws IOException {
        if (o.out() == null && o.windowsOut() == null && o.halfLifeOut() == null) {
            throw new IllegalArgumentException("nothing to write: give a dataset, windows or half-life output");
        }
        Path[] inputs = o.inputs();
        try (OriginalScepDataset h5 = OriginalScepDataset.open(o.h5())) {
            int n = h5.geneCount();
            if (o.tssIndex() < 0 || o.tssIndex() >= h5.promoterLength()) {
                throw new IllegalArgumentException("TSS index " + o.tssIndex() + " is outside the promoter rows of "
                        + o.h5() + " (0.." + (h5.promoterLength() - 1) + ")");
            }
            OriginalLabels labels = o.labels() == null ? null : OriginalLabels.read(o.labels(), h5.geneNames(), o.columns);
            List<String> hlNames = new ArrayList<>();
            for (int k = 0; k < h5.halfLifeCount(); k++) {
                hlNames.add(HALF_LIFE_PREFIX + k);
            }
            double[] halfLife = h5.halfLifeInputs();
            List<ScepDataset.Gene> genes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String id = h5.geneNames().get(i);
                genes.add(new ScepDataset.Gene(id, "", id, "row" + i, o.tssIndex() + 1L,
                        dev.scep.formats.annotation.Strand.PLUS));
            }
            if (o.halfLifeOut() != null) {
                writeHalfLifeTable(o.halfLifeOut(), h5.geneNames(), hlNames, halfLife, inputs);
            }
            try (ScepDatasetWriter writer = o.out() == null ? null : new ScepDatasetWriter(o.out(), o.geometry(), genes, inputs);
                 OutputFile fasta = o.windowsOut() == null ? null : OutputFile.create(o.windowsOut(), inputs)) {
                if (writer != null) {
                    writer.halfLife(hlNames, halfLife, HalfLifeTransform.IDENTITY);
                    if (labels != null) {
                        writer.targets(populations(labels), labels.values());
                    }
                }
                int[] done = {0};
                int[] empty = {0};
                h5.windows(o.tssIndex(), o.geometry(), (gene, window) -> {
                    if (writer != null) {
                        writer.window(gene, window);
                    }
                    if (fasta != null) {
                        writeFastaRecord(fasta.writer(), h5.geneNames().get(gene), window);
                    }
                    if (allN(window)) {
                        empty[0]++;
                    }
                    if (++done[0] % 256 == 0 || done[0] == n) {
                        listener.windows(done[0], n);
                    }
                });
                String fingerprint = writer == null ? null : writer.finish(metadata(o, labels));
                if (fasta != null) {
                    fasta.commit();
                }
                return new Report(n, empty[0], h5.halfLifeCount(), labels == null ? List.of() : labels.populations(),
                        fingerprint);
            }
        }
    }

    private static List<ScepDataset.Population> populations(OriginalLabels labels) {
        int p = labels.populations().size();
        float[] v = labels.values();
        int genes = p == 0 ? 0 : v.length / p;
        List<ScepDataset.Population> out = new ArrayList<>(p);
        for (int k = 0; k < p; k++) {
            int nonZero = 0;
            for (int g = 0; g < genes; g++) {
                // the original marks a gene expressed in no cell with −4 (log10 of nothing, DESIGN §3)
                if (v[g * p + k] > -4f) {
                    nonZero++;
                }
            }
            out.add(new ScepDataset.Population(labels.populations().get(k), "original labels", 0, nonZero, false));
        }
        return out;
    }

    private static boolean allN(byte[] window) {
        for (byte b : window) {
            if (b != 'N') {
                return false;
            }
        }
        return true;
    }

    private static void writeFastaRecord(Writer w, String id, byte[] window) throws IOException {
        w.write('>' + id + "\n");
        for (int i = 0; i < window.length; i += 80) {
            w.write(new String(window, i, Math.min(80, window.length - i), StandardCharsets.US_ASCII));
            w.write('\n');
        }
    }

    private static void writeHalfLifeTable(Path out, List<String> ids, List<String> names, double[] halfLife, Path[] inputs)
            throws IOException {
        int f = names.size();
        try (OutputFile file = OutputFile.createTable(out, inputs)) {
            Writer w = file.writer();
            w.write("id\t" + String.join("\t", names) + "\n");
            for (int i = 0; i < ids.size(); i++) {
                w.write(ids.get(i));
                for (int k = 0; k < f; k++) {
                    w.write('\t');
                    w.write(Double.toString(halfLife[i * f + k]));
                }
                w.write('\n');
            }
            file.commit();
        }
    }

    private static Map<String, String> metadata(Options o, OriginalLabels labels) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("created_by", "scep " + dev.scep.formats.ScepVersion.get());
        m.put("imported_from", "original scEP HDF5 dataset (scep import-h5-dataset)");
        m.put("h5", o.h5().toAbsolutePath().normalize().toString());
        m.put("tss_index", Integer.toString(o.tssIndex()));
        m.put("upstream", Integer.toString(o.geometry().upstream()));
        m.put("downstream", Integer.toString(o.geometry().downstream()));
        m.put("half_life", "the original's network inputs from dataset 'data', as given (already transformed and"
                + " z-scored by the original pipeline); stored with the identity transform");
        m.put("genes", "rows of dataset 'promoter' in order; contig row<i>, TSS at 1-based position tss_index + 1");
        if (labels != null) {
            m.put("labels", o.labels().toAbsolutePath().normalize().toString());
            m.put("columns", o.columns == null ? "all"
                    : String.join(",", java.util.Arrays.stream(o.columns).mapToObj(Integer::toString).toList()));
            m.put("targets", "the label table's values as given (log10 pseudobulk)");
        }
        return m;
    }
}
