package dev.scep.train.cv;

import dev.scep.formats.io.OutputFile;
import dev.scep.formats.text.InputFormatException;
import dev.scep.formats.text.TsvField;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Out-of-fold predictions: for every gene, the prediction of the fold where it was a test gene, next to the observed
 * value, per population (log10 expression, z-score undone). Read and written as {@code predictions.tsv}:
 * {@code gene_id, gene_name, fold, predicted:<population>..., observed:<population>...}, folds counted from 1.
 *
 * <p>Immutable and safe to share between threads: the accessors of the arrays return copies (read them once, outside
 * loops).
 *
 * @param populations the population names, in output order
 * @param geneIds     the gene ids, one per gene (in the dataset's order when made by a cross-validation)
 * @param geneNames   the gene symbols, one per gene, null where a gene has none
 * @param fold        per gene, the 0-based fold in which it was a test gene
 * @param predicted   [gene][population]: the prediction of the gene's fold model, log10 expression (z-score undone)
 * @param observed    [gene][population]: the dataset's target, log10 pseudobulk expression (not z-scored)
 */
public record CvPredictions(List<String> populations, List<String> geneIds, List<String> geneNames, int[] fold,
                            float[][] predicted, float[][] observed) {
    /** Copies the lists (the arrays are handed over by the maker and never given out). */
    public CvPredictions {
        populations = List.copyOf(populations);
        geneIds = List.copyOf(geneIds);
        geneNames = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(geneNames));   // may hold nulls
    }

    /**
     * Each gene's test fold.
     *
     * @return a copy: per gene, the 0-based fold in which it was a test gene
     */
    @Override
    public int[] fold() {
        return fold.clone();
    }

    /**
     * The out-of-fold predictions.
     *
     * @return a copy, [gene][population], log10 expression (z-score undone)
     */
    @Override
    public float[][] predicted() {
        return deepCopy(predicted);
    }

    /**
     * The dataset's targets.
     *
     * @return a copy, [gene][population], log10 pseudobulk expression (not z-scored)
     */
    @Override
    public float[][] observed() {
        return deepCopy(observed);
    }

    private static float[][] deepCopy(float[][] a) {
        float[][] out = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }

    /**
     * The number of genes.
     *
     * @return {@code geneIds().size()}
     */
    public int genes() {
        return geneIds.size();
    }

    /**
     * The number of folds.
     *
     * @return the highest 0-based fold plus one
     */
    public int folds() {
        int max = 0;
        for (int f : fold) {
            max = Math.max(max, f);
        }
        return max + 1;
    }

    /**
     * Predicted and observed values of one population over the genes of one fold (or all folds when fold &lt; 0).
     *
     * @param population 0-based population index, {@code < populations().size()}
     * @param foldIndex  0-based fold, or negative for every gene
     * @return {@code [0]} the predictions, {@code [1]} the observed values (log10), gene by gene in gene order
     */
    public double[][] series(int population, int foldIndex) {
        List<double[]> pairs = new ArrayList<>();
        for (int g = 0; g < genes(); g++) {
            if (foldIndex < 0 || fold[g] == foldIndex) {
                pairs.add(new double[]{predicted[g][population], observed[g][population]});
            }
        }
        double[][] out = new double[2][pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            out[0][i] = pairs.get(i)[0];
            out[1][i] = pairs.get(i)[1];
        }
        return out;
    }

    /**
     * Writes {@code predictions.tsv} through an {@link OutputFile}, never over one of {@code inputs}.
     *
     * @param file   the table to write
     * @param inputs the files the job read (the output may not replace one)
     * @throws IllegalArgumentException when a population name, gene id or gene name holds a tab or a line break
     * @throws dev.scep.formats.io.OutputIsInputException when {@code file} is one of {@code inputs}
     * @throws IOException when the table cannot be written
     */
    public void write(Path file, Path... inputs) throws IOException {
        try (OutputFile f = OutputFile.createTable(file, inputs)) {
            Writer w = f.writer();
            w.write("gene_id\tgene_name\tfold");
            for (String p : populations) {
                w.write("\tpredicted:" + TsvField.check("population", p));
            }
            for (String p : populations) {
                w.write("\tobserved:" + p);
            }
            w.write('\n');
            for (int g = 0; g < genes(); g++) {
                w.write(TsvField.check("gene id", geneIds.get(g)) + "\t"
                        + (geneNames.get(g) == null ? "" : TsvField.check("gene name", geneNames.get(g))) + "\t" + (fold[g] + 1));
                for (float v : predicted[g]) {
                    w.write("\t" + v);
                }
                for (float v : observed[g]) {
                    w.write("\t" + v);
                }
                w.write('\n');
            }
            f.commit();
        }
    }

    private static float finite(Path file, long line, String column, String value) throws InputFormatException {
        float v;
        try {
            v = Float.parseFloat(value.strip());
        } catch (NumberFormatException e) {
            throw new InputFormatException(file, line, column + ": '" + value + "' is not a number");
        }
        if (!Float.isFinite(v)) {
            throw new InputFormatException(file, line, column + ": " + value + " is not a finite number");
        }
        return v;
    }

    /**
     * Reads a {@code predictions.tsv} (plain or gzip) as {@link #write} writes it, or another model's predictions in
     * that layout.
     *
     * @param file the table
     * @return the predictions, folds made 0-based
     * @throws InputFormatException naming the file and line for a wrong header, a row of the wrong width, a gene
     *                              twice, a fold outside 1…100,000 or a value that is not a finite number, or a
     *                              table without genes
     * @throws IOException          when the file cannot be read
     */
    public static CvPredictions read(Path file) throws IOException {
        try (BufferedReader r = new BufferedReader(new java.io.InputStreamReader(dev.scep.formats.text.TextInput.open(file), java.nio.charset.StandardCharsets.UTF_8))) {
            String header = r.readLine();
            long lineNo = 1;
            while (header != null && header.startsWith("#")) {   // provenance lines
                header = r.readLine();
                lineNo++;
            }
            if (header == null || !header.startsWith("gene_id\tgene_name\tfold\t")) {
                throw new InputFormatException(file, lineNo, "not a scep predictions table: expected 'gene_id, gene_name, fold, predicted:..., observed:...'");
            }
            String[] h = header.split("\t");
            int n = (h.length - 3) / 2;
            if (n < 1 || h.length != 3 + 2 * n) {
                throw new InputFormatException(file, 1, "expected as many predicted: as observed: columns");
            }
            List<String> pops = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (!h[3 + i].startsWith("predicted:") || !h[3 + n + i].equals("observed:" + h[3 + i].substring(10))) {
                    throw new InputFormatException(file, 1, "column " + (4 + i) + " '" + h[3 + i] + "' has no matching observed: column");
                }
                pops.add(h[3 + i].substring(10));
            }
            java.util.Map<String, Long> seen = new java.util.HashMap<>();
            List<String> ids = new ArrayList<>();
            List<String> names = new ArrayList<>();
            List<Integer> folds = new ArrayList<>();
            List<float[]> pred = new ArrayList<>();
            List<float[]> obs = new ArrayList<>();
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != h.length) {
                    throw new InputFormatException(file, lineNo, "has " + f.length + " fields, the header " + h.length);
                }
                Long previous = seen.putIfAbsent(f[0], lineNo);
                if (previous != null) {
                    throw new InputFormatException(file, lineNo, "gene " + f[0] + " appears twice (first at line " + previous
                            + "): each gene has one out-of-fold prediction");
                }
                ids.add(f[0]);
                names.add(f[1].isEmpty() ? null : f[1]);
                int fold;
                try {
                    fold = Integer.parseInt(f[2].strip());
                } catch (NumberFormatException e) {
                    throw new InputFormatException(file, lineNo, "fold '" + f[2] + "' is not a whole number");
                }
                if (fold < 1 || fold > 100_000) {
                    throw new InputFormatException(file, lineNo, "fold " + fold + " is outside 1..100000");
                }
                folds.add(fold - 1);
                float[] p = new float[n];
                float[] o = new float[n];
                for (int i = 0; i < n; i++) {
                    p[i] = finite(file, lineNo, h[3 + i], f[3 + i]);
                    o[i] = finite(file, lineNo, h[3 + n + i], f[3 + n + i]);
                }
                pred.add(p);
                obs.add(o);
            }
            if (ids.isEmpty()) {
                throw new InputFormatException(file, 0, "holds no genes, only a header: nothing to evaluate");
            }
            return new CvPredictions(List.copyOf(pops), ids, names, folds.stream().mapToInt(Integer::intValue).toArray(),
                    pred.toArray(float[][]::new), obs.toArray(float[][]::new));
        }
    }
}
