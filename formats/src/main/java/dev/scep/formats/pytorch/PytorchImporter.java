package dev.scep.formats.pytorch;

import dev.scep.formats.model.AmbiguityRule;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.HalfLifeFeature;
import dev.scep.formats.model.ModelFormatException;
import dev.scep.formats.model.OutputSpec;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.SequenceEncoding;
import dev.scep.formats.model.Tensor;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports checkpoints of the original scEP network ({@code CNN1D(num_ct)} of lcmmichielsen/scEP) into one
 * {@code .scep} ensemble: each checkpoint becomes a member, predictions are averaged, as the original averages its
 * replicates. The state dict's {@code conv.0} (Conv1d 4→128, k 6), {@code conv.3} (Conv1d 128→32, k 9),
 * {@code fc.0} (Linear → 64) and {@code fc.3} (Linear 64 → populations) become scep's {@code conv1}, {@code conv2},
 * {@code dense1} and {@code dense2} of {@link Architecture#scepMultitask(int, int, int)}; PyTorch's layouts are
 * scep's, so nothing is transposed. The input is what the original network was fed: one-hot channels A, C, T, G
 * with a base that is none of them all zero ({@link AmbiguityRule#ZERO}), and half-life inputs as given
 * ({@link HalfLifeFeature#raw}, named {@code hl0}, {@code hl1}...: the columns of the dataset's {@code data}).
 *
 * <p>Stateless: the methods may be called from several threads at once.
 */
public final class PytorchImporter {

    /**
     * What the checkpoints cannot say.
     *
     * @param outputs    the populations in the order of {@code fc.3}'s rows, with the z-score the training targets had
     *                   (the original's {@code StandardScaler}), undone in predictions
     * @param upstream   bases before the TSS in the window (the original's {@code --upstream}, 7,000)
     * @param downstream bases from the TSS on (the original's {@code --downstream}, 3,500)
     * @param provenance extra provenance to record (e.g. the fold, the label file and columns), may be empty
     */
    public record Options(List<OutputSpec> outputs, int upstream, int downstream, Map<String, String> provenance) {
        /**
         * Copies the collections (the provenance in its order).
         *
         * @throws IllegalArgumentException when there is no output
         */
        public Options {
            outputs = List.copyOf(outputs);
            provenance = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(provenance));   // ordered: the file's bytes repeat
            if (outputs.isEmpty()) {
                throw new IllegalArgumentException("the model needs at least one output");
            }
        }
    }

    /** The original's parameter names, in order, with scep's. */
    private static final String[][] NAMES = {
            {"conv.0.weight", "conv1.weight"}, {"conv.0.bias", "conv1.bias"},
            {"conv.3.weight", "conv2.weight"}, {"conv.3.bias", "conv2.bias"},
            {"fc.0.weight", "dense1.weight"}, {"fc.0.bias", "dense1.bias"},
            {"fc.3.weight", "dense2.weight"}, {"fc.3.bias", "dense2.bias"}};

    private PytorchImporter() {
    }

    /**
     * Imports one or more checkpoints of the original network as one ensemble.
     *
     * @param checkpoints the checkpoints, one per replicate (each a {@code torch.save} zip, see
     *                    {@link PytorchCheckpoint})
     * @param options     outputs, window and provenance
     * @return the model: one member per checkpoint, in the order given
     * @throws NoSuchFileException      when a checkpoint is not a regular file
     * @throws ModelFormatException     naming the file and the key when a checkpoint cannot be read, lacks a parameter
     *                                  of the network, holds another one, or one of another shape (another
     *                                  architecture, another window, or another number of populations than outputs)
     * @throws IllegalArgumentException when no checkpoint is given
     * @throws IOException              when a file cannot be read
     */
    public static ScepModel importModel(List<Path> checkpoints, Options options) throws IOException {
        if (checkpoints.isEmpty()) {
            throw new IllegalArgumentException("no checkpoint to import");
        }
        int window = options.upstream() + options.downstream();
        Architecture probe = Architecture.scepMultitask(options.outputs().size(), 0, window);
        int flattened = probe.denseLayers().getFirst().inFeatures();
        List<Map<String, Tensor>> members = new ArrayList<>();
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("source", "pytorch");
        provenance.put("source.architecture", "scEP CNN1D(num_ct=" + options.outputs().size() + ")");
        int halfLife = -1;
        Path first = null;
        for (int m = 0; m < checkpoints.size(); m++) {
            Path file = checkpoints.get(m);
            PytorchCheckpoint c = PytorchCheckpoint.read(file);
            Map<String, Tensor> sd = new LinkedHashMap<>();
            boolean dataParallel = !c.stateDict().isEmpty() && c.keys().stream().allMatch(k -> k.startsWith("module."));
            c.stateDict().forEach((k, v) -> sd.put(dataParallel ? k.substring("module.".length()) : k, v));
            for (String k : c.skipped().keySet()) {
                throw new ModelFormatException(file, "state dict key " + k + " holds " + c.skipped().get(k)
                        + ", not a float32 tensor: not the original scEP network (CNN1D)");
            }
            Tensor fc0 = sd.get("fc.0.weight");
            if (fc0 == null) {
                throw new ModelFormatException(file, "state dict has no fc.0.weight: not the original scEP network (CNN1D); keys "
                        + sd.keySet());
            }
            int[] s = fc0.shape();
            int h = s.length == 2 ? s[1] - flattened : -1;
            if (h < 0) {
                throw new ModelFormatException(file, "state dict key fc.0.weight has shape " + Arrays.toString(s)
                        + ", expected [64, " + flattened + " + half-life inputs] for a " + window + "-nt window");
            }
            if (halfLife < 0) {
                halfLife = h;
                first = file;
            } else if (h != halfLife) {
                throw new ModelFormatException(file, "state dict key fc.0.weight takes " + h + " half-life inputs, but "
                        + first + " takes " + halfLife + ": the replicates are not one model");
            }
            Architecture arch = Architecture.scepMultitask(options.outputs().size(), halfLife, window);
            Map<String, int[]> expected = new LinkedHashMap<>();
            for (Architecture.ParameterShape p : arch.parameterShapes()) {
                expected.put(p.name(), p.shape());
            }
            Map<String, Tensor> member = new LinkedHashMap<>();
            for (String[] n : NAMES) {
                Tensor t = sd.remove(n[0]);
                if (t == null) {
                    throw new ModelFormatException(file, "state dict has no " + n[0] + ": not the original scEP network (CNN1D)");
                }
                int[] want = expected.get(n[1]);
                if (!Arrays.equals(t.shape(), want)) {
                    String why = n[0].startsWith("fc.3") && t.rank() == want.length && t.shape()[0] != want[0]
                            ? " (" + t.shape()[0] + " populations in the checkpoint, " + want[0] + " output columns given)" : "";
                    throw new ModelFormatException(file, "state dict key " + n[0] + " has shape " + Arrays.toString(t.shape())
                            + ", expected " + Arrays.toString(want) + why);
                }
                member.put(n[1], t);
            }
            if (!sd.isEmpty()) {
                throw new ModelFormatException(file, "state dict holds " + sd.keySet()
                        + " besides the original scEP network's parameters: another architecture");
            }
            members.add(member);
            String tag = "member." + m;
            provenance.put(tag + ".file", file.toString());
            provenance.put(tag + ".md5", dev.scep.formats.io.FileDigest.of(file, "MD5"));
            provenance.put(tag + ".sha256", dev.scep.formats.io.FileDigest.of(file, "SHA-256"));
            c.epoch().ifPresent(e -> provenance.put(tag + ".epoch", Long.toString(e)));
        }
        provenance.put("halflife.note", "the half-life inputs are fed to the network as given (the original dataset's"
                + " 'data' columns, already transformed and scaled): identity transform, mean 0, std 1");
        provenance.put("encoding.note", "as the original was fed: one-hot A, C, T, G; a base that is none of them"
                + " (N, ambiguity codes) is all zero");
        provenance.putAll(options.provenance());
        List<HalfLifeFeature> features = new ArrayList<>();
        for (int i = 0; i < halfLife; i++) {
            features.add(HalfLifeFeature.raw("hl" + i));
        }
        try {
            return new ScepModel(Architecture.scepMultitask(options.outputs().size(), halfLife, window),
                    new SequenceEncoding("ACTG", AmbiguityRule.ZERO, options.upstream(), options.downstream()),
                    options.outputs(), features, provenance, members);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(checkpoints.getFirst(), "the checkpoints do not make a scep model: " + e.getMessage(), e);
        }
    }

    /**
     * The number of genes (rows) of an original scEP dataset file ({@code *_seq_hl.h5}), without reading its data:
     * the first dimension of {@code data} (genes × half-life inputs), checked against {@code promoter}'s and
     * {@code geneName}'s where they are present. The original's folds are over these rows.
     *
     * @param h5 the dataset file
     * @return its row count
     * @throws NoSuchFileException  when the file is not a regular file
     * @throws ModelFormatException naming the file and dataset when it has no {@code data} dataset, or the datasets'
     *                              row counts disagree
     * @throws IOException          when the file cannot be read
     */
    public static int datasetRows(Path h5) throws IOException {
        if (!Files.isRegularFile(h5)) {
            throw new NoSuchFileException(h5.toString(), null, "scEP dataset file not found");
        }
        try (HdfFile hdf = dev.scep.formats.hdf5.Hdf5Files.open(h5)) {
            Node data = hdf.getChildren().get("data");
            if (!(data instanceof Dataset d) || d.getDimensions().length < 1) {
                throw new ModelFormatException(h5, "no 'data' dataset (genes x half-life inputs): not an scEP *_seq_hl.h5 file");
            }
            long rows = d.getDimensions()[0];
            for (String other : List.of("promoter", "geneName")) {
                if (hdf.getChildren().get(other) instanceof Dataset o && o.getDimensions().length >= 1
                        && o.getDimensions()[0] != rows) {
                    throw new ModelFormatException(h5, "'" + other + "' has " + o.getDimensions()[0] + " rows but 'data' has "
                            + rows + ": the dataset's row counts disagree");
                }
            }
            if (rows < 0 || rows > Integer.MAX_VALUE) {
                throw new ModelFormatException(h5, "'data' claims " + rows + " rows");
            }
            return (int) rows;
        } catch (RuntimeException e) {
            throw new ModelFormatException(h5, "cannot read it as HDF5: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }
}
