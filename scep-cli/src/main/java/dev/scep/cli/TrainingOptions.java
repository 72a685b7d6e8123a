package dev.scep.cli;

import dev.scep.cli.OptionRules.Excludes;
import dev.scep.cli.OptionRules.FinitePositive;
import dev.scep.cli.OptionRules.Range;
import dev.scep.formats.io.ScepDataset;
import dev.scep.train.cpu.TrainingConfig;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The training recipe and the choice of populations (shared by train and cv). */
final class TrainingOptions {
    @Option(names = "--dataset", required = true, paramLabel = "D.sced", description = "Dataset from 'scep prepare'.")
    java.nio.file.Path dataset;

    @Option(names = "--populations", split = ",", paramLabel = "P1,P2", description = "Populations to predict (default: every population except 'all').")
    List<String> populations = new ArrayList<>();

    @Excludes(value = "--populations", why = "--tissue trains the single-output tissue model on one population,"
            + " --populations the cell-population model on several; give one of them")
    @Option(names = "--tissue", paramLabel = "POP", description = "Train the single-output tissue model on this population (e.g. 'all') instead.")
    String tissue;

    @Excludes(value = "--halflife-only", why = "one leaves out the half-life features, the other the sequence,"
            + " which would leave the model nothing to read")
    @Option(names = "--sequence-only", description = "Leave the half-life features out (the sequence-only variant).")
    boolean sequenceOnly;

    @Option(names = "--halflife-only", description = "Ignore the sequence (the half-life-only variant): the first convolution's weights stay zero.")
    boolean halfLifeOnly;

    dev.scep.train.cpu.TrainingSet.Inputs inputs() {
        if (sequenceOnly && halfLifeOnly) {
            throw new IllegalArgumentException("--sequence-only and --halflife-only cannot be used together");
        }
        return sequenceOnly ? dev.scep.train.cpu.TrainingSet.Inputs.SEQUENCE_ONLY
                : halfLifeOnly ? dev.scep.train.cpu.TrainingSet.Inputs.HALF_LIFE_ONLY
                : dev.scep.train.cpu.TrainingSet.Inputs.SEQUENCE_AND_HALF_LIFE;
    }

    @Range(min = 1, max = 100_000)
    @Option(names = "--epochs", defaultValue = "40", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Range(min = 1, max = 1_000_000)
    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @FinitePositive
    @Option(names = "--learning-rate", defaultValue = "5e-4", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Range(min = 0, max = 100_000)
    @Option(names = "--plateau-patience", defaultValue = "5", description = "Epochs without validation improvement before the learning rate drops tenfold (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for initialisation, shuffles, dropout and splits (default: ${DEFAULT-VALUE}).")
    long seed;

    @Range(min = 1, max = 4096)
    @Option(names = "--threads", description = "Worker threads (default: all processors). Results are reproducible for a given seed and thread count.")
    Integer threads;

    @Range(min = 0, max = 100_000_000)
    @Option(names = "--validation-genes", defaultValue = "1000", description = "Validation genes (at most a fifth of the non-test genes; default: ${DEFAULT-VALUE}).")
    int validationGenes;

    /** The tissue model with --tissue, else the cell-population model. */
    dev.scep.train.cv.CrossValidation.Kind kind() {
        return tissue != null ? dev.scep.train.cv.CrossValidation.Kind.TISSUE : dev.scep.train.cv.CrossValidation.Kind.CELL_POPULATION;
    }

    TrainingConfig config() {
        return new TrainingConfig(epochs, batch, learningRate, 0.1, patience, seed,
                threads == null ? Runtime.getRuntime().availableProcessors() : threads);
    }

    /** Dataset population indices: --tissue's one, or --populations, or all but 'all'. */
    int[] populationIndices(ScepDataset d) {
        List<String> names = d.populations().stream().map(ScepDataset.Population::name).toList();
        if (names.isEmpty()) {
            throw new IllegalArgumentException(d.file() + " has no populations (prepare it with --expression)");
        }
        if (tissue != null && !populations.isEmpty()) {
            throw new IllegalArgumentException("--tissue and --populations cannot be used together");
        }
        List<String> wanted = tissue != null ? List.of(tissue)
                : !populations.isEmpty() ? populations
                : names.stream().filter(n -> !n.equals("all")).toList();
        int[] out = new int[wanted.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = names.indexOf(wanted.get(i));
            if (out[i] < 0) {
                throw new IllegalArgumentException("population '" + wanted.get(i) + "' is not in " + d.file() + " (it has: "
                        + String.join(", ", names) + ")");
            }
        }
        return out;
    }
}
