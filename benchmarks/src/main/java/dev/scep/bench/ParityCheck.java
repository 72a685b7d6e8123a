package dev.scep.bench;

import dev.scep.formats.keras.KerasImporter;
import dev.scep.formats.model.ScepModel;
import dev.scep.runtime.Backend;
import dev.scep.runtime.HalfLifeInput;
import dev.scep.runtime.Predictor;
import org.bytedeco.pytorch.global.torch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that scep's outputs equal libtorch's within 1e-4 on random weights and sequences (both model shapes,
 * every CPU backend) and on the published Xpresso model when the shared data is present. Exit code 1 on failure.
 */
public final class ParityCheck {
    static final double TOLERANCE = 1e-4;

    public static void main(String[] args) throws Exception {
        torch.set_num_threads(Runtime.getRuntime().availableProcessors());
        boolean ok = true;
        List<String> lines = new ArrayList<>();
        for (String shape : List.of("scep20", "xpresso")) {
            for (long seed = 1; seed <= 3; seed++) {
                ok &= check(shape + " seed " + seed, BenchModels.byName(shape, seed), 16, seed, lines);
            }
        }
        Path h5 = Path.of(args.length > 0 ? args[0] : "../shared/data").resolve("xpresso-pretrained/xpresso_human.h5");
        if (Files.isRegularFile(h5)) {
            ok &= check("published xpresso_human.h5", KerasImporter.importModel(h5, KerasImporter.Options.xpressoDefaults()), 16, 7, lines);
        }
        lines.forEach(System.out::println);
        System.out.println(ok ? "PARITY OK: every output within " + TOLERANCE + " of libtorch" : "PARITY FAILED");
        System.exit(ok ? 0 : 1);
    }

    static boolean check(String what, ScepModel model, int n, long seed, List<String> lines) {
        List<byte[]> windows = BenchModels.windows(n, model.windowLength(), seed);
        float[][] hl = BenchModels.halfLife(n, model.halfLifeFeatures().size(), seed);
        float[][] torchOut;
        try (LibtorchNetwork net = new LibtorchNetwork(model)) {
            torchOut = net.predict(windows, hl);
        }
        boolean ok = true;
        for (Backend b : List.of(Backend.AUTO, Backend.SCALAR, Backend.REFERENCE)) {
            try (Predictor p = Predictor.of(model, new Predictor.Options(b, 2))) {
                List<HalfLifeInput> inputs = new ArrayList<>();
                for (float[] row : hl) {
                    inputs.add(HalfLifeInput.normalised(row));
                }
                float[][] ours = p.predictBatch(windows, inputs);
                double maxAbs = 0;
                for (int i = 0; i < n; i++) {
                    for (int o = 0; o < ours[i].length; o++) {
                        maxAbs = Math.max(maxAbs, Math.abs(ours[i][o] - torchOut[i][o]));
                    }
                }
                boolean pass = maxAbs <= TOLERANCE;
                ok &= pass;
                lines.add(String.format("%-28s %-10s %2d windows x %2d outputs: max |scep - libtorch| = %.2e %s",
                        what, p.backendName(), n, ours[0].length, maxAbs, pass ? "ok" : "FAIL"));
            }
        }
        return ok;
    }
}
