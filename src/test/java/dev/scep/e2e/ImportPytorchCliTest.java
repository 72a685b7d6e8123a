package dev.scep.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Issue 14's first done-means line: the original scEP pipeline's own files (scep-pytorch-example: five replicates of
 * fold 3, written by PyTorch) imported with {@code import-pytorch}, then {@code scep predict} on the example's windows
 * and half-life inputs, reproduce the original's ensemble predictions (expected.tsv) within 1e-4 for every window and
 * output.
 */
class ImportPytorchCliTest {
    @TempDir
    Path dir;

    static Path example() {
        return SharedData.dir().resolve("scep-pytorch-example");
    }

    static Cli importFold3(Path out, Object... extra) {
        Path ex = example();
        List<Object> args = new java.util.ArrayList<>(List.of("import-pytorch", "--run-dir", ex.resolve("run"), "--fold", 3,
                "--dataset", ex.resolve("seq_hl.h5"), "--labels", ex.resolve("labels.csv"), "--columns", "1,2,3,4,5",
                "--out", out));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray());
    }

    @Test
    void reproducesTheOriginalsEnsemblePredictions() throws Exception {
        Path ex = example();
        Path model = dir.resolve("fold3.scep");
        Cli imp = importFold3(model);
        assertThat(imp.exitCode()).as(imp.err()).isZero();
        assertThat(imp.err()).contains("5 replicate(s)");

        Path again = dir.resolve("again.scep");
        assertThat(importFold3(again).exitCode()).isZero();
        assertThat(Files.readAllBytes(again)).as("the same import writes the same bytes").isEqualTo(Files.readAllBytes(model));

        Cli info = Cli.run("info", model);
        assertThat(info.exitCode()).as(info.err()).isZero();
        assertThat(info.out()).contains("fed to the network as given");

        for (String backend : List.of("auto", "reference")) {
            Path out = dir.resolve("p-" + backend + ".tsv");
            Cli p = Cli.run("predict", "--model", model, "--windows", ex.resolve("windows.fa"),
                    "--halflife", ex.resolve("halflife.tsv"), "--out", out, "--backend", backend);
            assertThat(p.exitCode()).as(p.err()).isZero();
            List<String> expected = Tables.lines(ex.resolve("expected.tsv"));
            String[] names = expected.getFirst().split("\t");   // id, fold, outputs...
            Map<String, String[]> want = new HashMap<>();
            for (String line : expected.subList(1, expected.size())) {
                String[] f = line.split("\t");
                want.put(f[0], f);
            }
            List<String> lines = Tables.lines(out);
            String[] header = lines.getFirst().split("\t");
            assertThat(header[0]).isEqualTo("id");
            assertThat(List.of(header).subList(1, header.length)).containsExactly(List.of(names).subList(2, names.length).toArray(String[]::new));
            assertThat(lines).hasSize(17);
            double worst = 0;
            int compared = 0;
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split("\t");
                String[] w = want.get(f[0]);
                assertThat(w).as("window %s in expected.tsv", f[0]).isNotNull();
                for (int o = 1; o < header.length; o++) {
                    double got = Double.parseDouble(f[o]);
                    double exp = Double.parseDouble(w[o + 1]);
                    assertThat(got).as("%s %s on %s", f[0], header[o], backend).isCloseTo(exp, within(1e-4));
                    worst = Math.max(worst, Math.abs(got - exp));
                    compared++;
                }
            }
            assertThat(compared).isEqualTo(16 * 5);
            System.out.printf("import-pytorch fold 3 (%s backend): %d values, largest |scep - original| = %.3g%n", backend, compared, worst);
        }
    }

    /** Fails cleanly: a non-zero exit, the message on stderr, no stack trace. */
    static String fails(Cli c) {
        assertThat(c.exitCode()).as(c.err()).isNotZero();
        assertThat(c.err()).doesNotContain("\tat ").doesNotContain("Exception:");
        return c.err();
    }

    private Path copyRun() throws java.io.IOException {
        Path run = dir.resolve("run");
        Path src = example().resolve("run");
        try (var files = Files.walk(src)) {
            for (Path p : files.toList()) {
                Path to = run.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return run;
    }

    static Cli importWith(Path out, Object... args) {
        Path ex = example();
        List<Object> a = new java.util.ArrayList<>(List.of("import-pytorch", "--fold", 3, "--dataset", ex.resolve("seq_hl.h5"),
                "--out", out));
        a.addAll(List.of(args));
        return Cli.run(a.toArray());
    }

    @Test
    void refusesAMissingReplicate() throws Exception {
        Path run = copyRun();
        Path fold = run.resolve("logmean_multitask_3");
        Files.delete(fold.resolve("ckpt_dir2/model_best.pth.tar"));
        Path labels = example().resolve("labels.csv");
        String err = fails(importWith(dir.resolve("a.scep"), "--run-dir", run, "--labels", labels, "--columns", "1,2,3,4,5"));
        assertThat(err).contains(fold.resolve("ckpt_dir2/model_best.pth.tar").toString()).contains("replicate 2's best model is missing");
        Files.delete(fold.resolve("ckpt_dir2"));
        err = fails(importWith(dir.resolve("a.scep"), "--run-dir", run, "--labels", labels, "--columns", "1,2,3,4,5"));
        assertThat(err).contains("ckpt_dir2").contains("replicate 2 is missing");
        err = fails(Cli.run("import-pytorch", "--run-dir", run, "--fold", 4, "--dataset", example().resolve("seq_hl.h5"),
                "--labels", labels, "--columns", "1,2,3,4,5", "--out", dir.resolve("a.scep")));
        assertThat(err).contains("no folder of fold 4");
    }

    @Test
    void refusesAFoldGeneMissingFromTheLabels() throws Exception {
        List<String> lines = Tables.lines(example().resolve("labels.csv"));
        Path shortLabels = Files.write(dir.resolve("short.csv"), lines.subList(0, 1201));
        String err = fails(importWith(dir.resolve("a.scep"), "--run-dir", example().resolve("run"), "--labels", shortLabels,
                "--columns", "1,2,3,4,5"));
        assertThat(err).contains(shortLabels.toString()).contains("has no label row for dataset row")
                .contains("a training gene of fold 3");
        err = fails(importWith(dir.resolve("a.scep"), "--run-dir", example().resolve("run"),
                "--labels", example().resolve("labels.csv"), "--columns", "1,2,3,4,9"));
        assertThat(err).contains("has no column 9");
    }

    @Test
    void refusesCheckpointsThatDoNotFit() throws Exception {
        Path ckpt = example().resolve("run/logmean_multitask_3/ckpt_dir0/model_best.pth.tar");
        Path labels = example().resolve("labels.csv");
        // the network predicts five populations; three columns make fc.3 another architecture's
        String err = fails(importWith(dir.resolve("a.scep"), "--checkpoint", ckpt, "--labels", labels, "--columns", "1,2,3"));
        assertThat(err).contains(ckpt.toString()).contains("fc.3.weight has shape [5, 64], expected [3, 64]");
        byte[] all = Files.readAllBytes(ckpt);
        Path truncated = Files.write(dir.resolve("truncated.pth.tar"), java.util.Arrays.copyOf(all, all.length - 5000));
        err = fails(importWith(dir.resolve("a.scep"), "--checkpoint", ckpt, "--checkpoint", truncated, "--labels", labels,
                "--columns", "1,2,3,4,5"));
        assertThat(err).contains(truncated.toString()).contains("not a complete torch.save zip");
        err = fails(importWith(dir.resolve("a.scep"), "--labels", labels, "--columns", "1,2,3,4,5"));
        assertThat(err).contains("--run-dir").contains("--checkpoint");
        err = fails(importWith(dir.resolve("a.scep"), "--checkpoint", ckpt, "--last", "--labels", labels, "--columns", "1,2,3,4,5"));
        assertThat(err).contains("--last");

        Cli two = importWith(dir.resolve("two.scep"), "--checkpoint", ckpt, "--checkpoint",
                example().resolve("run/logmean_multitask_3/ckpt_dir1/model_best.pth.tar"), "--labels", labels, "--columns", "1,2,3,4,5");
        assertThat(two.exitCode()).as(two.err()).isZero();
        assertThat(two.err()).contains("2 replicate(s)");
    }
}
