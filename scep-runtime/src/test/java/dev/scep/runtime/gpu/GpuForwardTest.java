package dev.scep.runtime.gpu;

import dev.scep.formats.model.ScepModel;
import dev.scep.nativebindings.GpuProbe;
import dev.scep.runtime.Backend;
import dev.scep.runtime.HalfLifeInput;
import dev.scep.runtime.InvalidSequenceException;
import dev.scep.runtime.Predictor;
import dev.scep.runtime.RandomModels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The GPU forward pass against the CPU engine on the same weights and windows: within 1e-4 relative (TF32 is off;
 * the two sum in different orders). Runs only where a GPU works; elsewhere the skip message says what is missing.
 */
class GpuForwardTest {
    @BeforeEach
    void needsAGpu() {
        GpuProbe.Report r = GpuProbe.probe();
        assumeTrue(r.usable(), () -> "skipped: no usable GPU here:\n" + r.explanation());
    }

    private static void assertSameAsCpu(ScepModel model, int windows, int batch) {
        List<byte[]> w = new ArrayList<>();
        List<HalfLifeInput> hl = new ArrayList<>();
        for (int i = 0; i < windows; i++) {
            byte[] seq = RandomModels.window(model.windowLength(), 100 + i);
            if (i % 3 == 0) {   // ambiguity codes in runs and alone, at both ends
                for (int p : new int[]{0, 1, 2, 57, 5000, 5001, model.windowLength() - 1}) {
                    seq[p] = (byte) "NRYKMSWBDHV".charAt((p + i) % 11);
                }
            }
            w.add(seq);
            hl.add(HalfLifeInput.raw(RandomModels.halfLife(model.halfLifeFeatures().size(), i)));
        }
        float[][] cpu;
        try (Predictor p = Predictor.of(model, new Predictor.Options(Backend.AUTO, 2))) {
            cpu = p.predictBatch(w, hl);
        }
        float[][] gpu;
        try (GpuPredictor g = new GpuPredictor(model, batch)) {
            gpu = g.predictBatch(w, hl);
        }
        for (int i = 0; i < windows; i++) {
            for (int o = 0; o < cpu[i].length; o++) {
                assertThat(gpu[i][o]).as("window %d output %d", i, o)
                        .isCloseTo(cpu[i][o], org.assertj.core.api.Assertions.within(1e-4f * Math.max(1f, Math.abs(cpu[i][o]))));
            }
        }
    }

    @Test
    void scepMultitaskEnsembleMatchesTheCpu() {
        assertSameAsCpu(RandomModels.scep(20, 2, 7), 37, 16);   // several batches, the last one partial
    }

    @Test
    void xpressoShapedModelWithKerasPaddingAndPositionMajorFlattenMatchesTheCpu() {
        assertSameAsCpu(RandomModels.xpressoShaped(8), 10, 10);
    }

    @Test
    void tissueModelMatchesTheCpu() {
        assertSameAsCpu(RandomModels.tissue(9), 5, 8);
    }

    @Test
    void aBadWindowIsReportedWithItsIndexInTheCallersBatch() {
        ScepModel m = RandomModels.scep(2, 1, 3);
        List<byte[]> w = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            w.add(RandomModels.window(m.windowLength(), i));
        }
        w.get(5)[10] = 'X';
        List<HalfLifeInput> hl = java.util.Collections.nCopies(6, HalfLifeInput.zeros(5));
        try (GpuPredictor g = new GpuPredictor(m, 4)) {
            assertThatThrownBy(() -> g.predictBatch(w, hl)).isInstanceOf(InvalidSequenceException.class).hasMessageContaining("5");
        }
    }
}
