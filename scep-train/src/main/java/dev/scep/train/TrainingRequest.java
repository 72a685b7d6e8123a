package dev.scep.train;

import dev.scep.formats.io.ScepDataset;
import dev.scep.runtime.Device;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to train, with the paper's recipe as the defaults ({@link #of}): which populations of a prepared dataset the
 * model predicts, which network ({@link ModelKind}), what it reads ({@link ModelInputs}), the recipe
 * ({@link TrainingConfig#PAPER}), how many genes validate, and where it runs. Immutable and safe to share between
 * threads (an opened dataset is); the {@code with…} methods return changed copies.
 *
 * @param dataset         a dataset prepared by {@code scep prepare} ({@code .sced})
 * @param populations     the populations to predict, in output order; empty: every population but {@code all}
 * @param kind            the cell-population model (one output per population) or the single-output tissue model
 * @param inputs          sequence and half-life features, or one of the paper's two ablations
 * @param config          the recipe (epochs, batch, learning rate, plateau schedule, seed, threads)
 * @param validationGenes genes drawn (seeded) to validate; the paper takes 1,000 of the non-test genes
 * @param device          where to train: {@link Device#CPU}, {@link Device#GPU} (checked at once: without a working GPU
 *                        the run fails naming what is missing) or {@link Device#AUTO} (the GPU when one works, else the
 *                        CPU, said through {@link TrainingListener#note})
 * @param retrainCollapsed the original recipe's rule (on by default): a model whose predictions over the validation
 *                        genes collapse to a constant (an output's variance below 1e-5, z-scored) is trained again
 *                        with a new seed, at most 3 times, and said so through {@link TrainingListener#note}
 * @param keepLast        cross-validation also writes each fold's ensemble of last-epoch models
 *                        ({@code models/fold-NN.last.scep}); training always returns it ({@link TrainedModel#lastModel})
 */
public record TrainingRequest(ScepDataset dataset, List<String> populations, ModelKind kind, ModelInputs inputs,
                              TrainingConfig config, int validationGenes, Device device, boolean retrainCollapsed,
                              boolean keepLast) {
    /** Checks the values and copies the population list. */
    public TrainingRequest {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(device, "device");
        populations = List.copyOf(populations);
        if (validationGenes < 0) {
            throw new IllegalArgumentException("validation genes must be 0 or more, got " + validationGenes);
        }
        if (kind == ModelKind.TISSUE && populations.size() != 1) {
            throw new IllegalArgumentException("the tissue model predicts one population, " + populations.size() + " were given");
        }
    }

    /**
     * A request that retrains collapsed models and keeps no last-epoch models.
     *
     * @param dataset         a prepared dataset
     * @param populations     the populations to predict
     * @param kind            the model kind
     * @param inputs          what the model reads
     * @param config          the recipe
     * @param validationGenes validation genes
     * @param device          where to train
     */
    public TrainingRequest(ScepDataset dataset, List<String> populations, ModelKind kind, ModelInputs inputs,
                           TrainingConfig config, int validationGenes, Device device) {
        this(dataset, populations, kind, inputs, config, validationGenes, device, true, false);
    }

    /**
     * Whether collapsed models are trained again.
     *
     * @param on the original recipe's rule (the default) or not
     * @return a changed copy
     */
    public TrainingRequest withRetrainCollapsed(boolean on) {
        return new TrainingRequest(dataset, populations, kind, inputs, config, validationGenes, device, on, keepLast);
    }

    /**
     * Whether cross-validation keeps each fold's last-epoch ensemble beside the best one.
     *
     * @param on keep it
     * @return a changed copy
     */
    public TrainingRequest withKeepLast(boolean on) {
        return new TrainingRequest(dataset, populations, kind, inputs, config, validationGenes, device, retrainCollapsed, on);
    }

    /**
     * The paper's recipe on {@code dataset}: the cell-population model of every population but {@code all}, sequence
     * and half-life features, {@link TrainingConfig#PAPER}, 1,000 validation genes, on the CPU.
     *
     * @param dataset the prepared dataset
     * @return the request
     */
    public static TrainingRequest of(ScepDataset dataset) {
        return new TrainingRequest(dataset, List.of(), ModelKind.CELL_POPULATION, ModelInputs.SEQUENCE_AND_HALF_LIFE,
                TrainingConfig.PAPER, 1000, Device.CPU);
    }

    /**
     * The cell-population model of these populations.
     *
     * @param names population names, in output order; empty for every population but {@code all}
     * @return a changed copy
     */
    public TrainingRequest withPopulations(List<String> names) {
        return new TrainingRequest(dataset, names, ModelKind.CELL_POPULATION, inputs, config, validationGenes, device, retrainCollapsed, keepLast);
    }

    /**
     * The single-output tissue model of one population (the paper uses {@code all}, every cell of the tissue).
     *
     * @param population the population's name
     * @return a changed copy
     */
    public TrainingRequest tissue(String population) {
        return new TrainingRequest(dataset, List.of(population), ModelKind.TISSUE, inputs, config, validationGenes, device, retrainCollapsed, keepLast);
    }

    /**
     * What the model reads.
     *
     * @param i the inputs
     * @return a changed copy
     */
    public TrainingRequest withInputs(ModelInputs i) {
        return new TrainingRequest(dataset, populations, kind, i, config, validationGenes, device, retrainCollapsed, keepLast);
    }

    /**
     * The recipe.
     *
     * @param c the recipe
     * @return a changed copy
     */
    public TrainingRequest withConfig(TrainingConfig c) {
        return new TrainingRequest(dataset, populations, kind, inputs, c, validationGenes, device, retrainCollapsed, keepLast);
    }

    /**
     * How many genes validate.
     *
     * @param genes validation genes
     * @return a changed copy
     */
    public TrainingRequest withValidationGenes(int genes) {
        return new TrainingRequest(dataset, populations, kind, inputs, config, genes, device, retrainCollapsed, keepLast);
    }

    /**
     * Where to train.
     *
     * @param d the device
     * @return a changed copy
     */
    public TrainingRequest withDevice(Device d) {
        return new TrainingRequest(dataset, populations, kind, inputs, config, validationGenes, d, retrainCollapsed, keepLast);
    }

    /**
     * The dataset's indices of the populations to predict, in output order.
     *
     * @return population indices into {@code dataset.populations()}
     * @throws IllegalArgumentException when the dataset has no populations, or lacks one that was asked for (the
     *                                  message names it and lists the dataset's)
     */
    public int[] populationIndices() {
        List<String> names = dataset.populations().stream().map(ScepDataset.Population::name).toList();
        if (names.isEmpty()) {
            throw new IllegalArgumentException(dataset.file() + " has no populations (prepare it with --expression)");
        }
        List<String> wanted = !populations.isEmpty() ? populations : names.stream().filter(n -> !n.equals("all")).toList();
        if (wanted.isEmpty()) {
            throw new IllegalArgumentException(dataset.file() + " has only the population 'all': train the tissue model on it");
        }
        List<Integer> out = new ArrayList<>();
        for (String w : wanted) {
            int i = names.indexOf(w);
            if (i < 0) {
                throw new IllegalArgumentException("population '" + w + "' is not in " + dataset.file() + " (it has: "
                        + String.join(", ", names) + ")");
            }
            out.add(i);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
