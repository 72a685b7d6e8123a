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
 * @param device          where to train: {@link Device#CPU}; GPU training is not built yet ({@link Device#AUTO} runs on
 *                        the CPU and says so, {@link Device#GPU} is refused)
 */
public record TrainingRequest(ScepDataset dataset, List<String> populations, ModelKind kind, ModelInputs inputs,
                              TrainingConfig config, int validationGenes, Device device) {
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
        return new TrainingRequest(dataset, names, ModelKind.CELL_POPULATION, inputs, config, validationGenes, device);
    }

    /**
     * The single-output tissue model of one population (the paper uses {@code all}, every cell of the tissue).
     *
     * @param population the population's name
     * @return a changed copy
     */
    public TrainingRequest tissue(String population) {
        return new TrainingRequest(dataset, List.of(population), ModelKind.TISSUE, inputs, config, validationGenes, device);
    }

    /**
     * What the model reads.
     *
     * @param i the inputs
     * @return a changed copy
     */
    public TrainingRequest withInputs(ModelInputs i) {
        return new TrainingRequest(dataset, populations, kind, i, config, validationGenes, device);
    }

    /**
     * The recipe.
     *
     * @param c the recipe
     * @return a changed copy
     */
    public TrainingRequest withConfig(TrainingConfig c) {
        return new TrainingRequest(dataset, populations, kind, inputs, c, validationGenes, device);
    }

    /**
     * How many genes validate.
     *
     * @param genes validation genes
     * @return a changed copy
     */
    public TrainingRequest withValidationGenes(int genes) {
        return new TrainingRequest(dataset, populations, kind, inputs, config, genes, device);
    }

    /**
     * Where to train.
     *
     * @param d the device
     * @return a changed copy
     */
    public TrainingRequest withDevice(Device d) {
        return new TrainingRequest(dataset, populations, kind, inputs, config, validationGenes, d);
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
