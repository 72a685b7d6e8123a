package dev.scep.cli;

import dev.scep.runtime.Device;
import dev.scep.train.ModelInputs;
import dev.scep.train.TrainingConfig;
import dev.scep.train.TrainingRequest;

import dev.scep.cli.OptionRules.Excludes;
import dev.scep.cli.OptionRules.FinitePositive;
import dev.scep.cli.OptionRules.Range;
import dev.scep.formats.io.ScepDataset;

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

    @Option(names = "--no-retrain-collapsed", description = "Keep a model whose predictions over the validation genes"
            + " collapse to a constant (an output's variance below 1e-5) instead of training it again with a new seed, as the"
            + " original recipe does (at most 3 times).")
    boolean noRetrainCollapsed;

    /** The request these options describe, on {@code d}: the library's defaults are the paper's recipe. */
    TrainingRequest request(ScepDataset d, Device device) {
        TrainingConfig config = new TrainingConfig(epochs, batch, learningRate, TrainingConfig.PAPER.plateauFactor(), patience,
                seed, threads == null ? Runtime.getRuntime().availableProcessors() : threads);
        TrainingRequest r = TrainingRequest.of(d).withConfig(config).withValidationGenes(validationGenes).withDevice(device)
                .withInputs(sequenceOnly ? ModelInputs.SEQUENCE_ONLY : halfLifeOnly ? ModelInputs.HALF_LIFE_ONLY
                        : ModelInputs.SEQUENCE_AND_HALF_LIFE);
        r = r.withRetrainCollapsed(!noRetrainCollapsed);
        return tissue != null ? r.tissue(tissue) : r.withPopulations(populations);
    }
}
