package dev.scep.train;

import dev.scep.formats.model.ModelFormatException;
import dev.scep.formats.model.OutputSpec;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.pytorch.PytorchImporter;
import dev.scep.formats.text.InputFormatException;
import dev.scep.train.cv.PaperSplit;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings a run of the original scEP pipeline (lcmmichielsen/scEP) into scep: the replicates of one fold become one
 * {@code .scep} ensemble, with the z-score of that fold rebuilt as the original does it: scikit-learn's
 * {@code StandardScaler} (mean, population standard deviation; a constant column scaled by 1) fitted on the label
 * rows of the fold's training genes ({@link PaperSplit}, over the dataset file's rows), on the chosen columns of the
 * label table. Predictions of the imported model are then the original's: the mean over replicates of
 * {@code scaler.inverse_transform(net(seq, hl))}.
 *
 * <p>Stateless: the methods may be called from several threads at once.
 */
public final class PytorchRunImport {

    /**
     * What to import.
     *
     * @param checkpoints the replicates' checkpoints (see {@link #replicates(Path, int, boolean)})
     * @param dataset     the original dataset file ({@code *_seq_hl.h5}): its row count decides the folds
     * @param labels      the original label table (CSV: a first column with the gene index, a header line, then one
     *                    column per population); its rows are the dataset's rows in order, or, when every first-column
     *                    value is an integer, the rows those integers name
     * @param columns     the label columns the network predicts, 0-based after the first (index) column, in
     *                    {@code fc.3}'s order (the original's {@code --cols}); their headers name the outputs
     * @param fold        the fold (0-based, as the original's {@code logmean_multitask_<fold>})
     * @param upstream    bases before the TSS in the window (the original's 7,000)
     * @param downstream  bases from the TSS on (the original's 3,500)
     */
    public record Request(List<Path> checkpoints, Path dataset, Path labels, List<Integer> columns, int fold, int upstream,
                          int downstream) {
        /**
         * Copies the lists.
         *
         * @throws IllegalArgumentException when there is no checkpoint or column, or the fold is negative
         */
        public Request {
            checkpoints = List.copyOf(checkpoints);
            columns = List.copyOf(columns);
            if (checkpoints.isEmpty() || columns.isEmpty()) {
                throw new IllegalArgumentException("import needs at least one checkpoint and one label column");
            }
            if (fold < 0) {
                throw new IllegalArgumentException("fold must be 0 or more, got " + fold);
            }
        }
    }

    private static final Pattern REPLICATE = Pattern.compile("ckpt_dir(\\d+)");
    private static final Pattern EPOCH = Pattern.compile("model_epoch(\\d+)(\\..*)?");

    private PytorchRunImport() {
    }

    /**
     * The checkpoints of a fold's replicates in an original run folder: {@code RUN/<name>_<fold>/ckpt_dir<m>/}, every
     * {@code m} from 0 up, {@code model_best.pth.tar} in each (or, with {@code last}, the {@code model_epoch<N>} file
     * of the highest {@code N}). {@code RUN} may also be the fold's folder itself.
     *
     * @param runDir the run folder (the original's {@code --output})
     * @param fold   the fold, 0-based
     * @param last   take the last epoch's model instead of the best one
     * @return one checkpoint per replicate, in replicate order
     * @throws NoSuchFileException naming what is missing: the run folder, the fold's folder, a replicate (a gap in the
     *                             {@code ckpt_dir} numbers) or a replicate's checkpoint
     * @throws IllegalArgumentException when several folders of the run are that fold's
     * @throws IOException         when a folder cannot be listed
     */
    public static List<Path> replicates(Path runDir, int fold, boolean last) throws IOException {
        if (!Files.isDirectory(runDir)) {
            throw new NoSuchFileException(runDir.toString(), null, "run folder not found");
        }
        Path foldDir;
        if (!replicateDirs(runDir).isEmpty()) {
            foldDir = runDir;
        } else {
            List<Path> candidates = new ArrayList<>();
            try (var s = Files.list(runDir)) {
                for (Path p : s.sorted().toList()) {
                    if (Files.isDirectory(p) && p.getFileName().toString().endsWith("_" + fold)) {
                        candidates.add(p);
                    }
                }
            }
            if (candidates.isEmpty()) {
                throw new NoSuchFileException(runDir.resolve("logmean_multitask_" + fold).toString(), null,
                        "no folder of fold " + fold + " (<name>_" + fold + "/ckpt_dir<m>/) in the run folder");
            }
            if (candidates.size() > 1) {
                throw new IllegalArgumentException(runDir + ": several folders of fold " + fold + " " + candidates
                        + ": name the checkpoints with --checkpoint");
            }
            foldDir = candidates.getFirst();
        }
        TreeMap<Integer, Path> dirs = replicateDirs(foldDir);
        if (dirs.isEmpty()) {
            throw new NoSuchFileException(foldDir.resolve("ckpt_dir0").toString(), null, "no replicate (ckpt_dir<m>) of fold " + fold);
        }
        List<Path> out = new ArrayList<>();
        for (int m = 0; m <= dirs.lastKey(); m++) {
            Path dir = dirs.get(m);
            if (dir == null) {
                throw new NoSuchFileException(foldDir.resolve("ckpt_dir" + m).toString(), null, "replicate " + m
                        + " is missing (the fold has " + dirs.navigableKeySet().stream().map(i -> "ckpt_dir" + i).toList() + ")");
            }
            out.add(last ? lastEpoch(dir) : requireFile(dir.resolve("model_best.pth.tar"), "replicate " + m + "'s best model"));
        }
        return out;
    }

    private static TreeMap<Integer, Path> replicateDirs(Path dir) throws IOException {
        TreeMap<Integer, Path> dirs = new TreeMap<>();
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Matcher m = REPLICATE.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p) && m.group(1).length() < 9) {
                    dirs.put(Integer.parseInt(m.group(1)), p);
                }
            }
        }
        return dirs;
    }

    private static Path lastEpoch(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> EPOCH.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p))
                    .max(Comparator.comparingLong(p -> {
                        Matcher m = EPOCH.matcher(p.getFileName().toString());
                        m.matches();
                        return m.group(1).length() > 18 ? Long.MAX_VALUE : Long.parseLong(m.group(1));
                    }))
                    .orElseThrow(() -> new NoSuchFileException(dir.resolve("model_epoch<N>.pth.tar").toString(), null,
                            "no last-epoch model (model_epoch<N>) in this replicate"));
        }
    }

    private static Path requireFile(Path p, String what) throws NoSuchFileException {
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(p.toString(), null, what + " is missing");
        }
        return p;
    }

    /**
     * Imports the replicates as one ensemble, with the fold's z-score.
     *
     * @param r what to import
     * @return the model (written with {@link dev.scep.formats.io.ScepModelFile#write}); its provenance records the
     *         fold, the split, the label file and columns, the scaler and every checkpoint's digest
     * @throws NoSuchFileException    when a file is missing
     * @throws ModelFormatException   naming the file and key when a checkpoint is unreadable, of another architecture,
     *                                or predicts another number of populations than columns given; or the dataset file
     *                                is not an scEP dataset
     * @throws InputFormatException   naming the label file and line when a column does not exist, a training gene of the
     *                                fold has no label row, or a value is not a finite number
     * @throws IllegalArgumentException when the fold does not exist for the dataset's rows
     * @throws IOException            when a file cannot be read
     */
    public static ScepModel importRun(Request r) throws IOException {
        int rows = PytorchImporter.datasetRows(r.dataset());
        if (rows < PaperSplit.FOLDS) {
            throw new ModelFormatException(r.dataset(), rows + " rows: too few for the original's 20 folds");
        }
        if (r.fold() >= PaperSplit.FOLDS) {
            throw new IllegalArgumentException("fold " + r.fold() + " does not exist: the original has folds 0 to "
                    + (PaperSplit.FOLDS - 1));
        }
        PaperSplit split = PaperSplit.of(rows);
        int[] training = split.training(r.fold());
        Labels labels = Labels.read(r.labels(), r.columns());
        int k = r.columns().size();
        double[] sum = new double[k];
        double[][] values = new double[training.length][];
        for (int i = 0; i < training.length; i++) {
            values[i] = labels.row(training[i], r.fold());
            for (int c = 0; c < k; c++) {
                sum[c] += values[i][c];
            }
        }
        List<OutputSpec> outputs = new ArrayList<>();
        Map<String, String> provenance = new LinkedHashMap<>();
        for (int c = 0; c < k; c++) {
            double mean = sum[c] / training.length;
            double ss = 0;
            for (double[] v : values) {
                ss += (v[c] - mean) * (v[c] - mean);
            }
            double std = Math.sqrt(ss / training.length);
            double scale = std == 0 ? 1 : std;   // StandardScaler leaves a constant column unscaled
            outputs.add(new OutputSpec(labels.names().get(c), mean, scale));
        }
        provenance.put("fold", Integer.toString(r.fold()));
        provenance.put("split", "scep-paper (KFold(20, shuffle=True, random_state=1) over " + rows
                + " dataset rows; validation = first 1,000 of np.random.seed(fold).permutation(non-test rows))");
        provenance.put("train_genes", Integer.toString(training.length));
        provenance.put("validation_genes", Integer.toString(split.validation(r.fold()).length));
        provenance.put("test_genes", Integer.toString(split.test(r.fold()).length));
        provenance.put("dataset.file", r.dataset().toString());
        provenance.put("labels.file", r.labels().toString());
        provenance.put("labels.columns", r.columns().stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse(""));
        provenance.put("scaler", "StandardScaler (mean, population std) on the fold's training genes' label rows");
        return PytorchImporter.importModel(r.checkpoints(),
                new PytorchImporter.Options(outputs, r.upstream(), r.downstream(), provenance));
    }

    /** The chosen columns of an original label table, by dataset row. */
    private record Labels(Path file, List<String> names, Map<Integer, double[]> byRow, Map<Integer, Long> lineOf) {

        static Labels read(Path file, List<Integer> columns) throws IOException {
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString(), null, "label table not found");
            }
            List<String[]> lines = new ArrayList<>();
            String[] header;
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String h = in.readLine();
                if (h == null) {
                    throw new InputFormatException(file, 1, "empty: expected a header line");
                }
                header = csv(h);
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line.isBlank() ? null : csv(line));
                }
            } catch (java.nio.charset.MalformedInputException e) {
                throw new InputFormatException(file, 0, "not UTF-8 text");
            }
            int populations = header.length - 1;
            List<String> names = new ArrayList<>();
            for (int c : columns) {
                if (c < 0 || c >= populations) {
                    throw new InputFormatException(file, 1, "has no column " + c + ": its columns after the gene index are 0 to "
                            + (populations - 1) + " " + List.of(header).subList(1, header.length));
                }
                names.add(header[c + 1].strip());
            }
            boolean indexed = !lines.isEmpty() && lines.stream().allMatch(f -> f != null && f[0].strip().matches("\\d{1,9}"));
            Map<Integer, double[]> byRow = new LinkedHashMap<>();
            Map<Integer, Long> lineOf = new LinkedHashMap<>();
            for (int i = 0; i < lines.size(); i++) {
                String[] f = lines.get(i);
                long lineNo = i + 2;
                if (f == null) {
                    continue;
                }
                if (f.length != header.length) {
                    throw new InputFormatException(file, lineNo, f.length + " fields, the header has " + header.length);
                }
                int row = indexed ? Integer.parseInt(f[0].strip()) : i;
                if (byRow.containsKey(row)) {
                    throw new InputFormatException(file, lineNo, "gene index " + row + " again (first on line " + lineOf.get(row) + ")");
                }
                double[] v = new double[columns.size()];
                for (int c = 0; c < v.length; c++) {
                    String s = f[columns.get(c) + 1].strip();
                    try {
                        v[c] = Double.parseDouble(s);
                    } catch (NumberFormatException e) {
                        v[c] = Double.NaN;
                    }
                    if (!Double.isFinite(v[c])) {
                        throw new InputFormatException(file, lineNo, "column " + names.get(c) + ": '" + s + "' is not a finite number");
                    }
                }
                byRow.put(row, v);
                lineOf.put(row, lineNo);
            }
            return new Labels(file, names, byRow, lineOf);
        }

        double[] row(int row, int fold) throws InputFormatException {
            double[] v = byRow.get(row);
            if (v == null) {
                throw new InputFormatException(file, 0, "has no label row for dataset row " + row + ", a training gene of fold "
                        + fold + " (the table has " + byRow.size() + " rows)");
            }
            return v;
        }

        /** One CSV line, split by the one reader of the original label tables. */
        private static String[] csv(String line) {
            return dev.scep.formats.scep.OriginalLabels.fields(line).toArray(String[]::new);
        }
    }
}
