package dev.scep.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Training that diverges and resumes that would not continue the same run fail loudly, name what is wrong and
 * leave every existing file as it was; contradictory options are usage errors.
 */
class TrainResumeCliTest {
    @TempDir
    static Path dir;
    static Path dataset;
    static Path otherDataset;
    static Path cv;

    private static Path prepare(String name, int seed) {
        Path in = dir.resolve(name + "-in");
        Cli sim = Cli.run("simulate", "--out", in, "--genes", 60, "--populations", 3, "--cells", 150, "--seed", seed,
                "--jaspar", SharedData.dir().resolve("jaspar-pfm"));
        assertThat(sim.exitCode()).as(sim.err()).isZero();
        Path out = dir.resolve(name + ".sced");
        Cli prep = Cli.run("prepare", "--fasta", in.resolve("genome.fa"), "--gtf", in.resolve("genes.gtf"),
                "--expression", in.resolve("matrix.mtx.gz"), "--cells", in.resolve("cells.tsv"),
                "--population-column", "population", "--all-cells", "--out", out);
        assertThat(prep.exitCode()).as(prep.err()).isZero();
        return out;
    }

    @BeforeAll
    static void datasetsAndAFinishedCrossValidation() {
        dataset = prepare("d", 1);
        otherDataset = prepare("other", 2);
        cv = dir.resolve("cv");
        Cli run = Cli.run("cv", "--dataset", dataset, "--out", cv, "--folds", 3, "--replicates", 1, "--epochs", 1,
                "--batch", 16, "--threads", 2, "--seed", 1);
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    /** Every file under a folder with its bytes. */
    private static Map<String, byte[]> snapshot(Path folder) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.put(folder.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    private static void assertUnchanged(Map<String, byte[]> before, Path folder) throws IOException {
        Map<String, byte[]> after = snapshot(folder);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((k, v) -> assertThat(after.get(k)).as(k).isEqualTo(v));
    }

    /** A copy of the finished cross-validation, so that each test resumes its own. */
    private static Path copyOfCv(Path target) throws IOException {
        try (Stream<Path> files = Files.walk(cv)) {
            for (Path p : files.toList()) {
                Path q = target.resolve(cv.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
        return target;
    }

    private static Cli resumeCv(Path out, Object... changed) {
        Map<String, Object> options = new java.util.LinkedHashMap<>();
        options.put("--dataset", dataset);
        options.put("--out", out);
        options.put("--folds", 3);
        options.put("--replicates", 1);
        options.put("--epochs", 1);
        options.put("--batch", 16);
        options.put("--threads", 2);
        options.put("--seed", 1);
        for (int i = 0; i < changed.length; i += 2) {
            options.put((String) changed[i], changed[i + 1]);
        }
        java.util.List<Object> args = new java.util.ArrayList<>(java.util.List.of("cv", "--resume"));
        options.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        return Cli.run(args.toArray());
    }

    @Test
    void aDivergingRunStopsAtOnceNamingTheEpochAndWritesNoModel() {
        Path model = dir.resolve("diverged.scep");
        Cli train = Cli.run("train", "--dataset", dataset, "--out", model, "--epochs", 2, "--batch", 16, "--threads", 2,
                "--learning-rate", "1e30");
        assertThat(train.exitCode()).as(train.err()).isEqualTo(1);
        assertThat(train.err()).contains("scep: error: training diverged in epoch 1", "batch", "non-finite",
                "learning rate 1.0E30", "lower --learning-rate");
        assertThat(model).doesNotExist();
        assertThat(dir.resolve("diverged.scep.checkpoint")).doesNotExist();
    }

    @Test
    void theLearningRateMustBeAFinitePositiveNumber() {
        for (String lr : new String[]{"0", "-0.001", "NaN", "Infinity"}) {
            Cli train = Cli.run("train", "--dataset", dataset, "--out", dir.resolve("lr.scep"), "--epochs", 1,
                    "--learning-rate", lr);
            assertThat(train.exitCode()).as(lr + ": " + train.err()).isEqualTo(2);
            assertThat(train.err()).contains("--learning-rate must be a finite number greater than 0, got " + lr);
            assertThat(dir.resolve("lr.scep")).doesNotExist();
        }
    }

    @Test
    void contradictoryOptionsAreUsageErrors() {
        Cli both = Cli.run("train", "--dataset", dataset, "--out", dir.resolve("x.scep"), "--tissue", "all",
                "--populations", "population=pop1");
        assertThat(both.exitCode()).as(both.err()).isEqualTo(2);
        assertThat(both.err()).contains("--tissue", "--populations", "cannot be used together");
        Cli cvBoth = Cli.run("cv", "--dataset", dataset, "--out", dir.resolve("x"), "--tissue", "all",
                "--populations", "population=pop1");
        assertThat(cvBoth.exitCode()).as(cvBoth.err()).isEqualTo(2);
        Cli inputs = Cli.run("train", "--dataset", dataset, "--out", dir.resolve("x.scep"), "--sequence-only",
                "--halflife-only");
        assertThat(inputs.exitCode()).as(inputs.err()).isEqualTo(2);
        assertThat(inputs.err()).contains("--sequence-only", "--halflife-only", "cannot be used together");
        assertThat(dir.resolve("x.scep")).doesNotExist();
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void resumingCrossValidationWithOtherFoldsIsRefusedAndReusesNothing() throws IOException {
        Path out = copyOfCv(dir.resolve("cv-folds"));
        Map<String, byte[]> before = snapshot(out);
        Cli r = resumeCv(out, "--folds", 4);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("made by a run with folds=3; this run has folds=4");
        assertUnchanged(before, out);
    }

    @Test
    void resumingCrossValidationWithAnotherSeedIsRefusedAndReusesNothing() throws IOException {
        Path out = copyOfCv(dir.resolve("cv-seed"));
        Map<String, byte[]> before = snapshot(out);
        Cli r = resumeCv(out, "--seed", 2);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("made by a run with seed=1; this run has seed=2");
        assertUnchanged(before, out);
    }

    @Test
    void resumingCrossValidationOnAnotherDatasetIsRefusedAndReusesNothing() throws IOException {
        Path out = copyOfCv(dir.resolve("cv-dataset"));
        Map<String, byte[]> before = snapshot(out);
        Cli r = resumeCv(out, "--dataset", otherDataset);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("made by a run with dataset=", "; this run has dataset=", "other.sced");
        assertUnchanged(before, out);
    }

    @Test
    void resumingCrossValidationWithTheSameOptionsReusesTheFolds() throws IOException {
        Path out = copyOfCv(dir.resolve("cv-same"));
        Map<String, byte[]> models = snapshot(out.resolve("models"));
        Cli r = resumeCv(out);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertUnchanged(models, out.resolve("models"));
    }

    @Test
    void modelsWithoutAManifestCannotBeVerifiedAndAreNotReused() throws IOException {
        Path out = copyOfCv(dir.resolve("cv-nomanifest"));
        Files.delete(out.resolve("manifest.tsv"));
        Map<String, byte[]> before = snapshot(out);
        Cli r = resumeCv(out);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("no manifest.tsv", "cannot be verified");
        assertUnchanged(before, out);
    }
}
