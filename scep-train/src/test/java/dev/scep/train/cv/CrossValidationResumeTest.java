package dev.scep.train.cv;

import dev.scep.train.TrainingConfig;
import dev.scep.train.ModelInputs;
import dev.scep.train.ModelKind;

import dev.scep.formats.io.ScepDataset;
import dev.scep.train.cpu.SyntheticDatasetsAccess;

import dev.scep.train.cpu.TrainingSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A cross-validation folder is continued only by the run that made it, and only with models of that run. */
class CrossValidationResumeTest {
    @TempDir
    static Path dir;
    static ScepDataset d;
    static final int[] POPS = {0, 1, 2};
    static final CrossValidation.Listener QUIET = new CrossValidation.Listener() { };

    @BeforeAll
    static void dataset() throws IOException {
        d = SyntheticDatasetsAccess.write(dir.resolve("d.sced"), 40, 3, 2);
    }

    private static CrossValidation.Options options(int replicates, int epochs, long seed) {
        return new CrossValidation.Options(2, replicates, 5, seed, new TrainingConfig(epochs, 16, 1e-3, 0.1, 5, 1, 2),
                ModelKind.CELL_POPULATION, ModelInputs.SEQUENCE_AND_HALF_LIFE);
    }

    @Test
    void theManifestRecordsTheRunAndAnotherRunIsRefusedNamingEachDifference() throws IOException {
        Path out = dir.resolve("named");
        CrossValidation.run(d, POPS, options(2, 1, 5), out, QUIET);
        String manifest = Files.readString(out.resolve("manifest.tsv"));
        assertThat(manifest).contains("dataset\t" + d.fingerprint() + "\n", "populations\tpop0,pop1,pop2\n", "folds\t2\n",
                "replicates\t2\n", "validation_genes\t5\n", "seed\t5\n", "kind\tcell_population\n",
                "inputs\tsequence_and_half_life\n", "epochs\t1\n", "batch\t16\n", "lr\t0.001\n", "plateau_factor\t0.1\n",
                "plateau_patience\t5\n", "threads\t2\n", "dataset_file\t" + d.file() + "\n");
        byte[] fold1 = Files.readAllBytes(out.resolve("models/fold-01.scep"));
        assertThatThrownBy(() -> CrossValidation.run(d, POPS, options(1, 2, 5), out, QUIET))
                .hasMessage(out.resolve("manifest.tsv") + ": the models in " + out + " were made by a run with replicates=2,"
                        + " epochs=1; this run has replicates=1, epochs=2: pass the same options to continue that run, or"
                        + " choose another output folder");
        assertThat(Files.readAllBytes(out.resolve("models/fold-01.scep"))).isEqualTo(fold1);
        assertThat(Files.readString(out.resolve("manifest.tsv"))).isEqualTo(manifest);
    }

    @Test
    void aFoldModelOfAnotherRunIsNotReused() throws IOException {
        Path mine = dir.resolve("mine");
        Path theirs = dir.resolve("theirs");
        CrossValidation.run(d, POPS, options(1, 1, 5), mine, QUIET);
        CrossValidation.run(d, POPS, options(1, 1, 6), theirs, QUIET);
        Files.copy(theirs.resolve("models/fold-02.scep"), mine.resolve("models/fold-02.scep"), StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> CrossValidation.run(d, POPS, options(1, 1, 5), mine, QUIET))
                .hasMessageStartingWith(mine.resolve("models/fold-02.scep") + ": this model was made by a run with ")
                .hasMessageContaining("cv_seed=6")
                .hasMessageContaining("; this run has ")
                .hasMessageContaining("cv_seed=5")
                .hasMessageEndingWith("so it is not this run's to reuse: remove it, or choose another output folder");
        // a fold model in another fold's place names the fold
        Files.copy(mine.resolve("models/fold-01.scep"), mine.resolve("models/fold-02.scep"), StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> CrossValidation.run(d, POPS, options(1, 1, 5), mine, QUIET))
                .hasMessageContaining("cv_fold=1/2").hasMessageContaining("cv_fold=2/2");
    }

    @Test
    void aReplicateModelOfAnotherFoldIsNotReused() throws IOException {
        Path out = dir.resolve("replicates");
        // stop when the second replicate of the first fold begins: replicate 1's model is kept for the rerun
        assertThatThrownBy(() -> CrossValidation.run(d, POPS, options(2, 1, 5), out, new CrossValidation.Listener() {
            @Override
            public void replicate(int fold, int folds, int replicate, int replicates) {
                if (replicate == 1) {
                    throw new IllegalStateException("stop");
                }
            }
        })).hasMessage("stop");
        Path replicate1 = out.resolve("models/fold-01-replicate-1.scep");
        assertThat(replicate1).exists();
        Files.move(replicate1, out.resolve("models/fold-02-replicate-1.scep"));
        assertThatThrownBy(() -> CrossValidation.run(d, POPS, options(2, 1, 5), out, QUIET))
                .hasMessageStartingWith(out.resolve("models/fold-02-replicate-1.scep") + ": this model was made by a run with ")
                .hasMessageContaining("seed=5000015")
                .hasMessageContaining("seed=5001015");
    }

    @Test
    void modelsWithoutAManifestAreRefusedAndAStaleManifestWithoutModelsIsReplaced() throws IOException {
        Path out = dir.resolve("unverified");
        CrossValidation.run(d, POPS, options(1, 1, 5), out, QUIET);
        Files.delete(out.resolve("manifest.tsv"));
        assertThatThrownBy(() -> CrossValidation.run(d, POPS, options(1, 1, 5), out, QUIET))
                .hasMessage(out + " holds models but no manifest.tsv recording the run that made them, so whether they"
                        + " belong to this run cannot be verified: choose another output folder (or remove "
                        + out.resolve("models") + " to start again)");
        assertThat(out.resolve("manifest.tsv")).doesNotExist();

        // a manifest with no models beside it has nothing to protect: a new run records itself over it
        Path fresh = dir.resolve("fresh");
        CrossValidation.run(d, POPS, options(1, 1, 5), fresh, QUIET);
        try (var files = Files.list(fresh.resolve("models"))) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        CrossValidation.run(d, POPS, options(1, 1, 7), fresh, QUIET);
        assertThat(Files.readString(fresh.resolve("manifest.tsv"))).contains("seed\t7\n");
    }
}
