package dev.scep.cli;

import dev.scep.cli.OptionRules.Output;
import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.keras.KerasImporter;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.text.FastaReader;
import dev.scep.formats.text.Sequences;
import dev.scep.runtime.HalfLifeSource;
import dev.scep.runtime.Predictor;
import dev.scep.runtime.WindowPredictionJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "demo", description = {
        "End to end on the shared data: import the published Xpresso human model, cut Kipoi's reference windows",
        "from the hg38 alpha-globin region, predict them, and compare with Kipoi's TensorFlow outputs (tolerance 1e-4)."})
final class DemoCommand implements Callable<Integer> {
    static final double TOLERANCE = 1e-4;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR",
            description = "The shared data folder (default: $SCEP_SHARED_DATA, else ../shared/data beside the scep checkout).")
    Path data;

    @Output(folder = true)
    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the demo's files (default: a new temporary folder).")
    Path out;

    @Mixin
    EngineOptions engine;

    @Mixin
    CommonOptions common;

    private record Reference(String id, int start, int end, char strand, double prediction) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        Path dataDir = data != null ? data : defaultDataDir();
        Path h5 = dataDir.resolve("xpresso-pretrained/xpresso_human.h5");
        Path region = dataDir.resolve("hg38-chr16-alpha-globin/region.fa");
        Path refTsv = dataDir.resolve("kipoi-xpresso-reference/reference.tsv");
        for (Path p : List.of(h5, region, refTsv)) {
            if (!Files.isRegularFile(p)) {
                throw new java.nio.file.NoSuchFileException(p.toString(), null, "demo input not found (use --data DIR)");
            }
        }
        Path dir = out != null ? dev.scep.formats.io.OutputFile.folder(out) : Files.createTempDirectory("scep-demo-");

        o.println("1. import the published Xpresso human model");
        ScepModel model = KerasImporter.importModel(h5, KerasImporter.Options.xpressoDefaults());
        Path modelFile = dir.resolve("xpresso_human.scep");
        ScepModelFile.write(model, modelFile);
        o.printf("   %s -> %s (source md5 %s)%n", h5, modelFile, model.provenance().get("source.md5"));

        o.println("2. cut Kipoi's reference windows from " + region.getFileName());
        List<Reference> refs = readReferences(refTsv);
        byte[] genome;
        try (FastaReader r = new FastaReader(region)) {
            genome = r.next().sequence();
        }
        Path windows = dir.resolve("kipoi_windows.fa");
        StringBuilder fa = new StringBuilder();
        for (Reference ref : refs) {
            byte[] w = Arrays.copyOfRange(genome, ref.start(), ref.end());
            if (ref.strand() == '-') {
                w = Sequences.reverseComplement(w);
            }
            fa.append('>').append(ref.id()).append(' ').append(ref.start()).append('-').append(ref.end()).append(ref.strand()).append('\n');
            fa.append(new String(w, StandardCharsets.US_ASCII)).append('\n');
            o.printf("   %-12s [%d, %d) %c strand, %,d nt%n", ref.id(), ref.start(), ref.end(), ref.strand(), w.length);
        }
        try (dev.scep.formats.io.OutputFile f = dev.scep.formats.io.OutputFile.create(windows, region)) {
            f.writer().append(fa);
            f.commit();
        }

        o.println("3. predict (half-life features at zero, as in Kipoi's run)");
        Path predictions = dir.resolve("predictions.tsv");
        ScepModel loaded = ScepModelFile.read(modelFile);
        try (Predictor p = Predictor.of(loaded, engine.toOptions())) {
            new WindowPredictionJob(p, HalfLifeSource.zeros(loaded), 64).run(windows, predictions, null);
            o.printf("   %s backend, %d threads -> %s%n", p.backendName(), p.threads(), predictions);
        }

        o.println("4. compare with Kipoi (Keras/TensorFlow)");
        Map<String, Double> ours = new LinkedHashMap<>();
        for (String line : Files.readAllLines(predictions)) {
            if (!line.startsWith("id\t") && !line.startsWith("#")) {
                String[] f = line.split("\t");
                ours.put(f[0], Double.parseDouble(f[1]));
            }
        }
        boolean ok = true;
        o.printf("   %-12s %14s %14s %10s%n", "id", "kipoi", "scep", "|diff|");
        for (Reference ref : refs) {
            double mine = ours.get(ref.id());
            double diff = Math.abs(mine - ref.prediction());
            ok &= diff <= TOLERANCE;
            o.printf("   %-12s %14.8f %14.8f %10.2e%n", ref.id(), ref.prediction(), mine, diff);
        }
        o.println(ok ? "PASS: all predictions within " + TOLERANCE + " of Kipoi" : "FAIL: predictions differ from Kipoi by more than " + TOLERANCE);
        o.flush();
        return ok ? 0 : 1;
    }

    static Path defaultDataDir() {
        String env = System.getenv("SCEP_SHARED_DATA");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String home = System.getProperty("scep.home");
        if (home != null) {
            return Path.of(home).resolve("../shared/data").normalize();
        }
        return Path.of("../shared/data");
    }

    private static List<Reference> readReferences(Path tsv) throws java.io.IOException {
        List<Reference> refs = new ArrayList<>();
        long lineNo = 0;
        for (String line : Files.readAllLines(tsv)) {
            lineNo++;
            if (line.startsWith("#") || line.startsWith("id\t") || line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 5) {
                throw new dev.scep.formats.text.InputFormatException(tsv, lineNo, "expected 5 columns (id, start, end, strand, prediction)");
            }
            refs.add(new Reference(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[3].charAt(0), Double.parseDouble(f[4])));
        }
        return refs;
    }
}
